// `collector upgrade` and `collector rotate-token`: a deploy with another pinned version, or with
// a new token alone, each shown, waited for, checked and undone on failure like a deploy.
#include <fmt/core.h>

#include "actions/change_awareness.h"
#include "actions/collector_rotate.h"
#include "actions/collector_upgrade.h"
#include "cli/collector_output.h"
#include "cli/commands.h"
#include "cli/interrupt.h"
#include "cli/validate_output.h"
#include "print/format.h"

namespace cxtm::cli {

void setup_collector_upgrade(CLI::App& collector, const GlobalOptions& global,
                             CommandOutcome& outcome) {
  auto flags = std::make_shared<RolloutFlags>();
  auto to = std::make_shared<std::string>();
  CLI::App* command = collector.add_subcommand(
      "upgrade", "Move the collector to another pinned release: diff, lint, roll out, undo");
  command->footer(
      "Examples:\n"
      "  cxtm-o11y collector upgrade --dry-run            # to the config's collector.version\n"
      "  cxtm-o11y collector upgrade --to 0.149.0 --dry-run\n"
      "The config is rendered for the new release (collectors after 0.148 name k8sattributes "
      "k8s_attributes and otlphttp otlp_http) and linted against it; the image and config diff "
      "is shown with --dry-run. Pin the release in collector.version afterwards, or the next "
      "`collector deploy` goes back.");
  command->add_option("--to", *to, "The release (default: the config's collector.version)")
      ->option_text("VERSION");
  add_rollout_flags(*command, *flags);
  command->callback([flags, to, &global, &outcome] {
    const auto options = deploy_options(*flags);
    const auto session = global.session();
    const auto& config = session->config();
    auto& context = session->context();
    install_interrupt_handlers();
    const auto result = actions::upgrade_collector(context, {.deploy = options, .to = *to});
    if (!options.dry_run) {
      actions::ChangeAwareness(context, "collector upgrade")
          .after(actions::collector_changes("collector upgrade", config, result.deploy,
                                            "upgraded to " + result.to));
    }
    const std::string pin = result.pinned
                                ? ""
                                : fmt::format(
                                      "pin it: collector.version: {} in {} (the next collector "
                                      "deploy puts {} back otherwise)",
                                      result.to, config.source, config.collector.version);
    if (global.format() == print::Format::text) {
      fmt::print("collector {} -> {}\n", result.from.empty() ? "(unknown)" : result.from,
                 result.to);
      print_deploy_text(result.deploy);
      if (!pin.empty()) fmt::print("{}\n", pin);
    } else {
      Json document = result.deploy.to_json();
      document["from"] = result.from;
      document["to"] = result.to;
      document["pinned"] = result.pinned;
      fmt::print("{}", print::format_document(document, global.format()));
    }
    outcome.code = result.deploy.code;
    outcome.changes_pending = options.dry_run && result.deploy.plan.changes_anything();
  });
}

void setup_collector_rotate_token(CLI::App& collector, const GlobalOptions& global,
                                  CommandOutcome& outcome) {
  auto flags = std::make_shared<RolloutFlags>();
  auto no_validate = std::make_shared<bool>(false);
  CLI::App* command = collector.add_subcommand(
      "rotate-token",
      "Put a new access token in the Secret, roll the collector onto it, check its exporter");
  command->footer(
      "Examples:\n"
      "  SPLUNK_ACCESS_TOKEN=<new token> cxtm-o11y collector rotate-token\n"
      "  SPLUNK_ACCESS_TOKEN=<new token> cxtm-o11y collector rotate-token --dry-run\n"
      "The token comes from the variable splunk.access_token.env names, never from a flag. The "
      "collector's pods restart onto it (their template's checksum/secret changes); a test span "
      "then has to get through the exporter, or the previous Secret and pods are put back. A "
      "Secret made by your own tooling (splunk.access_token.external) is rotated there; "
      "`collector deploy` then rolls the pods.");
  add_rollout_flags(*command, *flags);
  command->add_flag("--no-validate", *no_validate,
                    "Do not send a test span through the exporter after the rollout");
  command->callback([flags, no_validate, &global, &outcome] {
    const auto options = deploy_options(*flags);
    const auto session = global.session();
    const auto& config = session->config();
    auto& context = session->context();
    install_interrupt_handlers();
    const auto result = actions::rotate_token(
        context, session->validate_edges(),
        {.deploy = options,
         .validate = !*no_validate,
         .validate_options = {.timeout = options.timeout, .interrupted = interrupted}});
    if (!options.dry_run) {
      actions::ChangeAwareness(context, "collector rotate-token")
          .after(actions::collector_changes("collector rotate-token", config, result.deploy,
                                            "token rotated"));
    }
    if (global.format() == print::Format::text) {
      if (result.report)
        fmt::print("{}", validate_report_text(*result.report, global.printing().colour));
      print_deploy_text(result.deploy);
    } else {
      Json document = result.deploy.to_json();
      document["validate"] = result.report ? result.report->to_json() : Json(nullptr);
      fmt::print("{}", print::format_document(document, global.format()));
    }
    outcome.code = result.deploy.code;
    outcome.changes_pending = options.dry_run && result.deploy.plan.changes_anything();
  });
}

}  // namespace cxtm::cli
