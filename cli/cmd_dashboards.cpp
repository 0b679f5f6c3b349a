#include <fmt/core.h>

#include "actions/dashboards_apply.h"
#include "actions/services.h"
#include "actions/validate.h"
#include "cli/commands.h"
#include "cli/dashboards_output.h"
#include "cli/detailed_exitcode.h"
#include "cli/interrupt.h"
#include "config/access_token.h"
#include "config/ca_bundle.h"
#include "net/http_client.h"
#include "print/format.h"

namespace cxtm::cli {
namespace {

struct ApplyFlags {
  std::vector<std::string> services;
  bool dry_run = false;
  std::string timeout = "30s";
  bool detailed_exitcode = false;
};

void setup_dashboards_apply(CLI::App& parent, const GlobalOptions& global,
                            CommandOutcome& outcome) {
  auto flags = std::make_shared<ApplyFlags>();
  CLI::App* command = parent.add_subcommand(
      "apply",
      "Create or update the cluster's dashboard group, a dashboard and a detector per service");
  command->footer(
      "What is kept comes from templates/dashboards/ and the config's alerts: section. Objects "
      "are found again by name (the group also by its description), so a rerun updates them "
      "in place; when a step fails, what this run created is deleted and what it updated is put "
      "back.\n"
      "Examples:\n"
      "  SPLUNK_API_TOKEN=... cxtm-o11y dashboards apply\n"
      "  cxtm-o11y dashboards apply scheduler --dry-run   # the diff, nothing written\n"
      "  cxtm-o11y dashboards apply -o json               # ids and changes, for CI\n"
      "The API token ($SPLUNK_API_TOKEN) needs the power or admin role; "
      "$CXTM_O11Y_SPLUNK_API_URL replaces the realm's API URL.");
  command->add_option("services", flags->services, "Services (default: all in the config)")
      ->option_text("SERVICE...");
  command->add_flag("--dry-run", flags->dry_run, "Show what would change; write nothing");
  add_timeout_option(*command, flags->timeout, "How long each request to Splunk may take");
  add_detailed_exitcode_flag(*command, flags->detailed_exitcode);
  command->callback([flags, &global, &outcome] {
    require_dry_run(flags->detailed_exitcode, flags->dry_run);
    // Complete and validate everything before the first request.
    const Duration timeout = parse_timeout(flags->timeout);
    const auto config = global.load_config();
    config::access_token_from_env(config);
    const auto services =
        actions::select_services(config, flags->services, flags->services.empty());
    const std::string token = actions::splunk_api_token("dashboards apply");
    const std::string url = actions::splunk_api_url(config);
    net::CurlHttpClient http(config::ca_bundle_for(url, config.ca_bundle, config.source));
    splunk::ObjectsApi api(http, url, token, timeout);
    const auto reporter = global.reporter();
    install_interrupt_handlers();
    const auto result = actions::apply_dashboards(
        config, api, *reporter,
        {.services = services, .dry_run = flags->dry_run, .interrupted = interrupted});
    if (global.format() == print::Format::text) {
      print_apply_text(result, flags->dry_run);
    } else {
      fmt::print("{}", print::format_document(apply_json(result, flags->dry_run), global.format()));
    }
    outcome.code = ExitCode::ok;
    outcome.changes_pending = flags->dry_run && dashboards::changes_anything(result.plan);
  });
}

}  // namespace

void setup_dashboards(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  CLI::App* command = app.add_subcommand(
      "dashboards", "Keep dashboards and detectors for the services in Splunk Observability Cloud");
  command->require_subcommand(1);
  setup_dashboards_apply(*command, global, outcome);
}

}  // namespace cxtm::cli
