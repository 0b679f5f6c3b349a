#include <fmt/core.h>

#include "actions/rollback.h"
#include "actions/services.h"
#include "cli/commands.h"
#include "cli/interrupt.h"
#include "cli/service_output.h"

namespace cxtm::cli {

void setup_rollback(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  struct Flags {
    std::vector<std::string> services;
    bool all = false;
    bool dry_run = false;
    bool wait = true;
    std::string timeout = "5m";
    std::string poll_interval = "2s";
    std::string from;
    int parallel = 4;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* command =
      app.add_subcommand("rollback", "Put instrumented services back exactly as they were before");
  command->footer(
      "Examples:\n"
      "  cxtm-o11y rollback scheduler --dry-run\n"
      "  cxtm-o11y rollback --all\n"
      "  cxtm-o11y rollback scheduler --from "
      "~/.local/state/cxtm-o11y/backups/c/default/cxtm-scheduler/original.json\n"
      "The original comes from the cluster's backup ConfigMap, else the local copy; a copy whose\n"
      "sha256 does not match is refused.");
  command->add_option("services", flags->services, "Services from the config")
      ->option_text("SERVICE...");
  command->add_flag("--all", flags->all, "Every service in the config");
  command->add_flag("--dry-run", flags->dry_run, "Print the diff; write nothing");
  command->add_flag("--wait,!--no-wait", flags->wait, "Wait for the rollout (default: wait)");
  add_timeout_option(*command, flags->timeout, "How long to wait per service");
  add_poll_interval_flag(*command, flags->poll_interval);
  command->add_option("--from", flags->from, "Restore this backup file instead")
      ->option_text("FILE");
  command->add_option("--parallel", flags->parallel, "Services rolled back at once")
      ->check(CLI::Range(1, 64))
      ->option_text("N");
  command->callback([flags, &global, &outcome] {
    const Duration timeout = parse_timeout(flags->timeout);
    const Duration poll_interval = parse_poll_interval(flags->poll_interval);
    auto session = global.session();
    const auto services = actions::select_services(session->config, flags->services, flags->all);
    if (!flags->from.empty() && services.size() != 1) {
      throw Error(ExitCode::usage, "--from restores one service: name exactly one");
    }
    install_interrupt_handlers();
    const auto results = actions::rollback_services(session->context, session->stores(), services,
                                                    {.dry_run = flags->dry_run,
                                                     .wait = flags->wait,
                                                     .timeout = timeout,
                                                     .poll_interval = poll_interval,
                                                     .from_file = flags->from,
                                                     .parallel = flags->parallel,
                                                     .interrupted = interrupted});
    // What changed (or would): the pod template's diff, as the issue asks a rollback to show.
    print_service_results(results, global.format(), /*show_diff=*/true);
    outcome.code = actions::combined_code(results);
  });
}

}  // namespace cxtm::cli
