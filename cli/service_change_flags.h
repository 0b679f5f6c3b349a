#pragma once
// The flags `instrument` and `rollback` share: which services, the dry run, the wait, the wave,
// and --output-dir (the change as files for Git instead of in the cluster).

#include <CLI/CLI.hpp>
#include <string>

#include "actions/service_change.h"
#include "actions/service_run.h"
#include "cli/global_options.h"
#include "cli/service_selection.h"

namespace cxtm::cli {

struct ServiceChangeFlags {
  ServiceSelection selection;
  bool dry_run = false;
  bool wait = true;
  std::string timeout = "5m";
  std::string poll_interval = "2s";
  int parallel = 0;
  std::string output_dir;
  bool detailed_exitcode = false;
};

struct ServiceChangeHelp {
  std::string dry_run;     // what --dry-run prints
  std::string parallel;    // "Services instrumented at once"
  std::string output_dir;  // what --output-dir DIR does instead
};

// Adds the shared flags, bound to flags.
void add_service_change_flags(CLI::App& command, ServiceChangeFlags& flags,
                              const ServiceChangeHelp& help);

// The options the flags say, with the interrupt handlers' check. Error(usage) for a bad
// duration, or --detailed-exitcode without --dry-run.
actions::ChangeOptions change_options(const ServiceChangeFlags& flags);

// The run's exit code and pending changes, for main.
void record_outcome(const actions::ServiceRun& run, CommandOutcome& outcome);

}  // namespace cxtm::cli
