#include <fmt/core.h>

#include "actions/change_awareness.h"
#include "actions/gitops.h"
#include "actions/instrument.h"
#include "actions/services.h"
#include "actions/validate.h"
#include "cli/commands.h"
#include "cli/detailed_exitcode.h"
#include "cli/interrupt.h"
#include "cli/service_output.h"
#include "cli/service_selection.h"
#include "cli/validate_output.h"
#include "instrument/spec.h"

namespace cxtm::cli {

void setup_instrument(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  struct Flags {
    ServiceSelection selection;
    bool dry_run = false;
    bool wait = true;
    std::string timeout = "5m";
    std::string poll_interval = "2s";
    bool no_rollback = false;
    bool force = false;
    int parallel = 0;
    bool no_validate = false;
    std::string output_dir;
    std::string from_file;
    std::string via;
    bool detailed_exitcode = false;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* command = app.add_subcommand(
      "instrument", "Add zero-code OpenTelemetry auto-instrumentation to Python services");
  command->footer(
      "Examples:\n"
      "  cxtm-o11y instrument scheduler --dry-run     # the pod template diff; writes nothing\n"
      "  cxtm-o11y instrument scheduler notifications\n"
      "  cxtm-o11y instrument --all -o json --parallel 8\n"
      "  cxtm-o11y instrument scheduler --via operator  # the OpenTelemetry Operator injects\n"
      "The original Deployment is backed up (locally and in a ConfigMap) before the first write;\n"
      "a rollout that fails is rolled back automatically unless --no-rollback-on-failure.\n"
      "GitOps (Argo CD, Flux): --output-dir writes the change as a kustomize patch instead:\n"
      "  cxtm-o11y instrument scheduler --output-dir deploy/overlays/prod --from-file "
      "deploy/base/scheduler.yaml");
  add_service_selection(*command, flags->selection);
  command->add_flag(
      "--dry-run", flags->dry_run,
      "Print the pod template diff (-o json: the JSON patch); write nothing, not even a backup");
  add_wait_flags(*command, flags->wait, "the rollout");
  add_timeout_option(*command, flags->timeout, "How long to wait per service");
  add_poll_interval_flag(*command, flags->poll_interval);
  command->add_flag("--no-rollback-on-failure", flags->no_rollback,
                    "Leave a failing rollout instrumented instead of restoring the original");
  command->add_flag("--force", flags->force,
                    "Override OTEL_* settings of the app that conflict with ours");
  command
      ->add_option("--parallel", flags->parallel,
                   "Services instrumented at once (default: all, up to 64, in one wave)")
      ->check(CLI::Range(1, 256))
      ->option_text("N");
  command->add_flag("--no-validate", flags->no_validate,
                    "Skip validate's checks 4 and 5 (test span, per-service checks) after the "
                    "rollout");
  command
      ->add_option("--output-dir", flags->output_dir,
                   "Write a kustomize patch per service and its entry in DIR's kustomization "
                   "instead of changing the cluster (GitOps)")
      ->option_text("DIR");
  command
      ->add_option("--from-file", flags->from_file,
                   "With --output-dir: the manifest holding the Deployments as they are in Git "
                   "(no cluster access)")
      ->option_text("FILE");
  command
      ->add_option("--via", flags->via,
                   "Who injects the packages: init-container (the tool's installer in the app's "
                   "image) or operator (the OpenTelemetry Operator, through an Instrumentation); "
                   "default: the config's instrumentation.via, else as the workload is now")
      ->check(CLI::IsMember({"init-container", "operator"}))
      ->option_text("WAY");
  add_detailed_exitcode_flag(*command, flags->detailed_exitcode);
  command->callback([flags, &global, &outcome] {
    require_dry_run(flags->detailed_exitcode, flags->dry_run);
    const auto injector =
        flags->via.empty() ? std::nullopt : instrument::parse_injector(flags->via);

    if (!flags->from_file.empty() && flags->output_dir.empty()) {
      throw Error(ExitCode::usage,
                  "--from-file needs --output-dir: the change from a file goes to Git as a "
                  "patch, not to the cluster");
    }
    if (!flags->output_dir.empty()) {
      auto session = global.session();
      const auto services = selected_services(*session, flags->selection);
      const auto results = actions::instrument_in_git(
          session->context, services,
          {.output_dir = flags->output_dir,
           .from_file = flags->from_file,
           .dry_run = flags->dry_run,
           .force = flags->force ? instrument::Force::yes : instrument::Force::no,
           .injector = injector});
      print_service_results(results, global.printing(), global.elapsed(), flags->dry_run);
      outcome.code = actions::combined_code(results);
      outcome.changes_pending = actions::changes_pending(results);
      return;
    }
    const Duration timeout = parse_timeout(flags->timeout);
    const Duration poll_interval = parse_poll_interval(flags->poll_interval);
    auto session = global.session();
    const auto services = selected_services(*session, flags->selection);
    // Splunk hears of it: the detectors muted first (when asked), an event per change after.
    actions::ChangeAwareness splunk(session->context, "instrument");
    if (!flags->dry_run) splunk.before(services);
    install_interrupt_handlers();
    const auto results = actions::instrument_services(
        session->context, session->stores(), services,
        {.dry_run = flags->dry_run,
         .wait = flags->wait,
         .timeout = timeout,
         .poll_interval = poll_interval,
         .rollback_on_failure =
             flags->no_rollback ? actions::AutoRollback::no : actions::AutoRollback::yes,
         .force = flags->force ? instrument::Force::yes : instrument::Force::no,
         .parallel = flags->parallel,
         .injector = injector,
         .interrupted = interrupted});
    if (!flags->dry_run) splunk.after(actions::service_changes("instrument", results));
    // validate's checks 4 and 5 for what was just written and rolled out.
    std::optional<validate::Report> validation;
    const auto written = actions::just_instrumented(services, results);
    if (!flags->dry_run && flags->wait && !flags->no_validate && !written.empty()) {
      ValidateRuntime runtime(global.kubectl_options());
      validation = actions::run_validate(session->context, runtime.edges(),
                                         {.services = written,
                                          .scope = actions::ValidateScope::services,
                                          .interrupted = interrupted});
    }
    print_service_results(results, global.printing(), global.elapsed(), flags->dry_run,
                          validation ? &*validation : nullptr);
    outcome.code = actions::combined_code(results);
    outcome.changes_pending = actions::changes_pending(results);
    if (outcome.code == ExitCode::ok && validation) outcome.code = validation->exit_code();
  });
}

}  // namespace cxtm::cli
