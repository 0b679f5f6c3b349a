#include "cli/collector_output.h"

#include <fmt/core.h>

#include "actions/service_result.h"
#include "cli/commands.h"
#include "cli/detailed_exitcode.h"
#include "cli/interrupt.h"

namespace cxtm::cli {

void add_rollout_flags(CLI::App& command, RolloutFlags& flags) {
  command.add_flag("--dry-run", flags.dry_run, "Show what would change; write nothing");
  add_wait_flags(command, flags.wait, "the DaemonSet's pods to be ready");
  add_timeout_option(command, flags.timeout, "How long to wait");
  command.add_flag("--no-rollback-on-failure", flags.no_rollback,
                   "Leave the new objects in place when the rollout fails");
  add_poll_interval_flag(command, flags.poll_interval);
  add_detailed_exitcode_flag(command, flags.detailed_exitcode);
}

actions::CollectorDeployOptions deploy_options(const RolloutFlags& flags) {
  require_dry_run(flags.detailed_exitcode, flags.dry_run);
  return {.dry_run = flags.dry_run,
          .wait = flags.wait,
          .timeout = parse_timeout(flags.timeout),
          .poll_interval = parse_poll_interval(flags.poll_interval),
          .rollback =
              flags.no_rollback ? actions::RollbackOnFailure::no : actions::RollbackOnFailure::yes,
          .interrupted = interrupted};
}

void print_deploy_text(const actions::CollectorDeployResult& result) {
  if (result.dry_run) {
    for (const auto& object : result.plan.objects) {
      if (!object.diff.empty()) fmt::print("{}", object.diff);
    }
    for (const auto& object : result.plan.objects) {
      fmt::print("{} {} (dry run)\n", object.ref.resource_name(),
                 actions::change_name(object.change));
    }
  }
  if (result.rollout) {
    for (const auto& problem : result.rollout->problems) fmt::print("  {}\n", problem.summary());
  }
  for (const auto& tail : result.log_tails) fmt::print("--- log of {}\n", tail);
  fmt::print("{}\n", result.message);
}

}  // namespace cxtm::cli
