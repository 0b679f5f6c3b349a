#include <fmt/core.h>

#include "actions/instrument.h"
#include "actions/services.h"
#include "cli/commands.h"
#include "cli/interrupt.h"
#include "cli/service_output.h"

namespace cxtm::cli {

void setup_instrument(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  struct Flags {
    std::vector<std::string> services;
    bool all = false;
    bool dry_run = false;
    bool wait = true;
    std::string timeout = "5m";
    bool no_rollback = false;
    bool force = false;
    int parallel = 4;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* command = app.add_subcommand(
      "instrument", "Add zero-code OpenTelemetry auto-instrumentation to Python services");
  command->footer(
      "Examples:\n"
      "  cxtm-o11y instrument scheduler --dry-run     # the pod template diff; writes nothing\n"
      "  cxtm-o11y instrument scheduler notifications\n"
      "  cxtm-o11y instrument --all -o json --parallel 8\n"
      "The original Deployment is backed up (locally and in a ConfigMap) before the first write;\n"
      "a rollout that fails is rolled back automatically unless --no-rollback-on-failure.");
  command->add_option("services", flags->services, "Services from the config")
      ->option_text("SERVICE...");
  command->add_flag("--all", flags->all, "Every service in the config");
  command->add_flag(
      "--dry-run", flags->dry_run,
      "Print the pod template diff (-o json: the JSON patch); write nothing, not even a backup");
  command->add_flag("--wait,!--no-wait", flags->wait, "Wait for the rollout (default: wait)");
  command->add_option("--timeout", flags->timeout, "How long to wait per service")
      ->option_text("DUR");
  command->add_flag("--no-rollback-on-failure", flags->no_rollback,
                    "Leave a failing rollout instrumented instead of restoring the original");
  command->add_flag("--force", flags->force,
                    "Override OTEL_* settings of the app that conflict with ours");
  command->add_option("--parallel", flags->parallel, "Services instrumented at once")
      ->check(CLI::Range(1, 64))
      ->option_text("N");
  command->callback([flags, &global, &outcome] {
    const Duration timeout = parse_timeout(flags->timeout);
    auto session = global.session();
    const auto services = actions::select_services(session->config, flags->services, flags->all);
    install_interrupt_handlers();
    const auto results = actions::instrument_services(
        session->context, session->stores(), services,
        {.dry_run = flags->dry_run,
         .wait = flags->wait,
         .timeout = timeout,
         .rollback_on_failure =
             flags->no_rollback ? actions::AutoRollback::no : actions::AutoRollback::yes,
         .force = flags->force ? instrument::Force::yes : instrument::Force::no,
         .parallel = flags->parallel,
         .interrupted = interrupted});
    print_service_results(results, global.format(), flags->dry_run);
    outcome.code = actions::combined_code(results);
  });
}

}  // namespace cxtm::cli
