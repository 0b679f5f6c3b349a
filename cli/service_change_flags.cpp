#include "cli/service_change_flags.h"

#include "cli/commands.h"
#include "cli/detailed_exitcode.h"
#include "cli/interrupt.h"

namespace cxtm::cli {

void add_service_change_flags(CLI::App& command, ServiceChangeFlags& flags,
                              const ServiceChangeHelp& help) {
  add_service_selection(command, flags.selection);
  command.add_flag("--dry-run", flags.dry_run, help.dry_run);
  add_wait_flags(command, flags.wait, "the rollout");
  add_timeout_option(command, flags.timeout, "How long to wait per service");
  add_poll_interval_flag(command, flags.poll_interval);
  command
      .add_option("--parallel", flags.parallel,
                  help.parallel + " (default: all, up to 64, in one wave)")
      ->check(CLI::Range(1, 256))
      ->option_text("N");
  command.add_option("--output-dir", flags.output_dir, help.output_dir)->option_text("DIR");
  add_detailed_exitcode_flag(command, flags.detailed_exitcode);
}

actions::ChangeOptions change_options(const ServiceChangeFlags& flags) {
  require_dry_run(flags.detailed_exitcode, flags.dry_run);
  return {.dry_run = flags.dry_run,
          .wait = flags.wait,
          .timeout = parse_timeout(flags.timeout),
          .poll_interval = parse_poll_interval(flags.poll_interval),
          .parallel = flags.parallel,
          .interrupted = interrupted};
}

void record_outcome(const actions::ServiceRun& run, CommandOutcome& outcome) {
  outcome.code = run.code();
  outcome.changes_pending = run.changes_pending();
}

}  // namespace cxtm::cli
