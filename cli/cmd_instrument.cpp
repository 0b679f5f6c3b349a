#include <fmt/core.h>

#include "actions/gitops.h"
#include "actions/instrument.h"
#include "cli/commands.h"
#include "cli/interrupt.h"
#include "cli/service_change_flags.h"
#include "cli/service_output.h"
#include "instrument/spec.h"

namespace cxtm::cli {

void setup_instrument(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  struct Flags {
    ServiceChangeFlags change;
    bool no_rollback = false;
    bool force = false;
    bool no_validate = false;
    std::string from_file;
    std::string via;
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
  add_service_change_flags(
      *command, flags->change,
      {.dry_run = "Print the pod template diff (-o json: the JSON patch); write nothing, not even "
                  "a backup",
       .parallel = "Services instrumented at once",
       .output_dir = "Write a kustomize patch per service and its entry in DIR's kustomization "
                     "instead of changing the cluster (GitOps)"});
  command->add_flag("--no-rollback-on-failure", flags->no_rollback,
                    "Leave a failing rollout instrumented instead of restoring the original");
  command->add_flag("--force", flags->force,
                    "Override OTEL_* settings of the app that conflict with ours");
  command->add_flag("--no-validate", flags->no_validate,
                    "Skip validate's checks 4 and 5 (test span, per-service checks) after the "
                    "rollout");
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
  command->callback([flags, &global, &outcome] {
    const actions::InstrumentOptions options{
        .change = change_options(flags->change),
        .rollback_on_failure =
            flags->no_rollback ? actions::AutoRollback::no : actions::AutoRollback::yes,
        .force = flags->force ? instrument::Force::yes : instrument::Force::no,
        .injector = flags->via.empty() ? std::nullopt : instrument::parse_injector(flags->via)};
    const auto& output_dir = flags->change.output_dir;
    if (!flags->from_file.empty() && output_dir.empty()) {
      throw Error(ExitCode::usage,
                  "--from-file needs --output-dir: the change from a file goes to Git as a "
                  "patch, not to the cluster");
    }
    auto session = global.session();
    const auto services = selected_services(*session, flags->change.selection);
    actions::ServiceRun run;
    if (!output_dir.empty()) {
      run = {.dry_run = options.change.dry_run,
             .results = actions::instrument_in_git(session->context(), services,
                                                   {.output_dir = output_dir,
                                                    .from_file = flags->from_file,
                                                    .dry_run = options.change.dry_run,
                                                    .force = options.force,
                                                    .injector = options.injector})};
    } else {
      install_interrupt_handlers();
      run = actions::run_instrument(
          *session, services, options,
          flags->no_validate ? actions::ValidateAfter::no : actions::ValidateAfter::yes);
    }
    print_service_run(run, global.printing(), global.elapsed(), Diffs::on_dry_run);
    record_outcome(run, outcome);
  });
}

}  // namespace cxtm::cli
