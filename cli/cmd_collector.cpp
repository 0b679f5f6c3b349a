#include <fmt/core.h>

#include "actions/change_awareness.h"
#include "actions/collector_delete.h"
#include "actions/collector_deploy.h"
#include "actions/collector_status.h"
#include "cli/collector_output.h"
#include "cli/commands.h"
#include "cli/interrupt.h"
#include "print/format.h"

namespace cxtm::cli {
namespace {

void setup_collector_deploy(CLI::App& parent, const GlobalOptions& global,
                            CommandOutcome& outcome) {
  auto flags = std::make_shared<RolloutFlags>();
  auto adopt = std::make_shared<bool>(false);
  CLI::App* command = parent.add_subcommand(
      "deploy", "Lint, then apply the collector's objects and wait until every pod is ready");
  command->footer(
      "Examples:\n"
      "  SPLUNK_ACCESS_TOKEN=... cxtm-o11y collector deploy\n"
      "  cxtm-o11y collector deploy --dry-run          # the diff, nothing written\n"
      "  cxtm-o11y collector deploy --timeout 10m -o json\n"
      "When the pods do not become ready, the previous objects are put back unless "
      "--no-rollback-on-failure.");
  add_rollout_flags(*command, *flags);
  command->add_flag("--adopt", *adopt,
                    "Take over same-named objects another installation created (without the "
                    "app.kubernetes.io/managed-by=cxtm-o11y label); refused otherwise");
  command->callback([flags, adopt, &global, &outcome] {
    auto options = deploy_options(*flags);
    options.adopt = *adopt;
    const auto session = global.session();
    const auto& config = session->config();
    auto& context = session->context();
    install_interrupt_handlers();
    const auto result = actions::deploy_collector(context, options);
    if (!options.dry_run) {
      actions::ChangeAwareness(context, "collector deploy")
          .after(actions::collector_changes("collector deploy", config, result, "deployed"));
    }
    if (global.format() == print::Format::text) {
      print_deploy_text(result);
    } else {
      fmt::print("{}", print::format_document(result.to_json(), global.format()));
    }
    outcome.code = result.code;
    outcome.changes_pending = options.dry_run && result.plan.changes_anything();
  });
}

void print_status_text(const actions::CollectorStatus& status, print::Colour colour) {
  const std::string name = status.ref().namespaced_name();
  if (!status.deployed) {
    fmt::print("collector {}: not deployed (run: cxtm-o11y collector deploy)\n", name);
    return;
  }
  fmt::print("collector {}: {}\n", name,
             status.healthy() ? print::paint("healthy", print::Tone::good, colour)
                              : print::paint("NOT healthy", print::Tone::bad, colour));
  fmt::print("  image    {}{}\n", status.image,
             status.image_current ? "" : " (config pins another)");
  fmt::print("  config   {}\n",
             status.config_current ? "current" : "differs from the rendered config");
  fmt::print("  secret   {}\n",
             status.secret_present ? "present" : print::paint("MISSING", print::Tone::bad, colour));
  fmt::print("  pods     {}\n", status.rollout.progress);
  if (status.pods.empty()) return;
  fmt::print("\n{:<40} {:<20} {:<6} {:<10} {:>8}  {}\n", "POD", "NODE", "READY", "PHASE",
             "RESTARTS", "PROBLEM");
  for (const auto& pod : status.pods) {
    fmt::print("{:<40} {:<20} {} {:<10} {:>8}  {}\n", pod.name, pod.node,
               pod.ready ? print::paint_padded("yes", 6, print::Tone::good, colour)
                         : print::paint_padded("no", 6, print::Tone::bad, colour),
               pod.phase, pod.restarts,
               pod.problem ? pod.problem->reason +
                                 (pod.problem->detail.empty() ? "" : ": " + pod.problem->detail)
                           : "");
  }
}

void setup_collector_status(CLI::App& parent, const GlobalOptions& global,
                            CommandOutcome& outcome) {
  CLI::App* command = parent.add_subcommand(
      "status", "Show whether the collector is deployed, current and ready, and why not");
  command->footer("Exit code 0 when healthy, 1 when not deployed or not ready.");
  command->callback([&global, &outcome] {
    const auto session = global.session();
    const auto status = actions::collector_status(session->context());
    if (global.format() == print::Format::text) {
      print_status_text(status, global.printing().colour);
    } else {
      fmt::print("{}", print::format_document(status.to_json(), global.format()));
    }
    outcome.code = status.healthy() ? ExitCode::ok : ExitCode::failed;
  });
}

void setup_collector_delete(CLI::App& parent, const GlobalOptions& global,
                            CommandOutcome& outcome) {
  auto dry_run = std::make_shared<bool>(false);
  CLI::App* command = parent.add_subcommand(
      "delete", "Delete the collector objects this tool created (and nothing else)");
  command->add_flag("--dry-run", *dry_run, "Show what would be deleted; delete nothing");
  command->callback([dry_run, &global, &outcome] {
    const auto session = global.session();
    const auto& config = session->config();
    auto& context = session->context();
    const auto results = actions::delete_collector(context, *dry_run);
    Json objects = Json::array();
    for (const auto& [ref, result] : results) {
      if (global.format() == print::Format::text) {
        fmt::print("{} {}{}\n", ref.resource_name(), actions::delete_outcome_name(result),
                   *dry_run && result == actions::DeleteOutcome::deleted ? " (dry run)" : "");
      }
      objects.push_back({{"kind", ref.kind},
                         {"namespace", ref.namespace_},
                         {"name", ref.name},
                         {"outcome", actions::delete_outcome_name(result)}});
    }
    if (global.format() != print::Format::text) {
      fmt::print("{}", print::format_document(Json{{"dryRun", *dry_run}, {"objects", objects}},
                                              global.format()));
    } else if (std::any_of(results.begin(), results.end(), [](const auto& result) {
                 return result.outcome == actions::DeleteOutcome::admin_only;
               })) {
      fmt::print(
          "an admin deletes the rest: cxtm-o11y render --part cluster | kubectl delete -f - "
          "(and kubectl delete secret -n {} {})\n",
          config.collector.namespace_, config.splunk.access_token.secret);
    }
    outcome.code = ExitCode::ok;
  });
}

}  // namespace

void setup_collector(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  CLI::App* collector = app.add_subcommand(
      "collector",
      "Deploy, inspect, upgrade or delete the OpenTelemetry Collector; rotate its token");
  collector->require_subcommand(1);
  setup_collector_deploy(*collector, global, outcome);
  setup_collector_status(*collector, global, outcome);
  setup_collector_delete(*collector, global, outcome);
  setup_collector_upgrade(*collector, global, outcome);
  setup_collector_rotate_token(*collector, global, outcome);
}

}  // namespace cxtm::cli
