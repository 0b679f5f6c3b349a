#pragma once
// What `collector deploy`, `upgrade` and `rotate-token` share: the rollout's flags and the
// printing of a deploy's result (the plan's diffs, the rollout's problems, the message).

#include <CLI/CLI.hpp>
#include <string>

#include "actions/collector_deploy.h"
#include "core/json.h"

namespace cxtm::cli {

struct RolloutFlags {
  bool dry_run = false;
  bool wait = true;
  std::string timeout = "5m";
  std::string poll_interval = "2s";
  bool no_rollback = false;
  bool detailed_exitcode = false;
};

// --dry-run, --wait/--no-wait, --timeout, --no-rollback-on-failure, --poll-interval,
// --detailed-exitcode.
void add_rollout_flags(CLI::App& command, RolloutFlags& flags);

// The deploy options the flags say (Error(usage) for a bad duration, or --detailed-exitcode
// without --dry-run).
actions::CollectorDeployOptions deploy_options(const RolloutFlags& flags);

// Text: on a dry run each diff and a line per object; the rollout's problems, log tails and
// the message.
void print_deploy_text(const actions::CollectorDeployResult& result);

}  // namespace cxtm::cli
