#include "actions/services.h"
#include "actions/validate.h"
#include "cli/commands.h"
#include "cli/interrupt.h"
#include "cli/validate_output.h"
#include "config/access_token.h"
#include "config/ca_bundle.h"
#include "validate/traffic.h"

namespace cxtm::cli {

void setup_validate(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  struct Flags {
    std::vector<std::string> services;
    bool splunk = false;
    std::string traffic;
    std::string timeout = "2m";
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* command = app.add_subcommand(
      "validate", "Prove that traces flow from each service through the collector into Splunk");
  command->footer(
      "Checks, in order (a check whose dependency failed is skipped):\n"
      "  1 access     kubectl reaches the cluster; the verbs the tool needs are allowed\n"
      "  2 collector  DaemonSet ready, no pod restarting repeatedly, live config lints clean\n"
      "  3 health     health_check answers through the API server's service proxy\n"
      "  4 test-span  an OTLP/JSON test span is accepted by the collector (trace id printed)\n"
      "  5 service    per service: instrumented, installer exited 0, app Ready, and the app's\n"
      "               log says tracing started in its process (no failed start-up line)\n"
      "  6 exporter   the collector's counters show the span sent on; no 401/403 in its logs\n"
      "  7 traffic    --traffic PATH: per service, one request through the service proxy, and\n"
      "               the collector accepts spans after it\n"
      "  8 splunk     --splunk: the trace is in Splunk APM, and each service sent spans of its\n"
      "               own (looked for until --timeout)\n"
      "Examples:\n"
      "  cxtm-o11y validate                            # the collector and every service\n"
      "  cxtm-o11y validate scheduler -o json          # a CI gate\n"
      "  cxtm-o11y validate scheduler --traffic /api/jobs\n"
      "  SPLUNK_API_TOKEN=... cxtm-o11y validate --splunk --traffic /api/jobs --timeout 5m\n"
      "Exit 0 when no check failed, 1 when one did, 2 for usage or config errors.");
  command->add_option("services", flags->services, "Services (default: all in the config)")
      ->option_text("SERVICE...");
  command->add_flag("--splunk", flags->splunk,
                    "Also find the test trace in Splunk APM (API token in $SPLUNK_API_TOKEN; "
                    "$CXTM_O11Y_SPLUNK_API_URL replaces the realm's API URL)");
  command
      ->add_option("--traffic", flags->traffic,
                   "Make one request to each service (a PATH on the Service that selects its "
                   "pods, or http://SERVICE:PORT/PATH for one service) through the API "
                   "server's service proxy and see its spans reach the collector")
      ->option_text("PATH|URL");
  add_timeout_option(*command, flags->timeout, "How long the waits may take in all");
  command->callback([flags, &global, &outcome] {
    // Complete and validate everything before the first kubectl call.
    const Duration timeout = parse_timeout(flags->timeout);
    const auto session = global.session();
    const auto& config = session->config();
    // validate never sends the ingest token, but a log line may quote it: registered, redacted.
    config::access_token_from_env(config);
    // No names: every configured service (a config without services checks the collector).
    std::vector<const config::ServiceSettings*> services;
    if (!flags->services.empty() || !config.services.empty()) {
      services = actions::select_services(config, flags->services, flags->services.empty());
    }
    if (!flags->traffic.empty()) validate::require_traffic_option(flags->traffic, services.size());
    actions::ValidateOptions options{.services = services,
                                     .traffic = flags->traffic,
                                     .splunk = flags->splunk,
                                     .timeout = timeout,
                                     .interrupted = interrupted};
    std::string ca_bundle;
    if (flags->splunk) {
      options.splunk_api_token = actions::splunk_api_token("--splunk");
      options.splunk_api_url = actions::splunk_api_url(config);
      ca_bundle = config::ca_bundle_for(options.splunk_api_url, config.ca_bundle, config.source);
    }
    install_interrupt_handlers();
    const auto report =
        actions::run_validate(session->context(), session->validate_edges(ca_bundle), options);
    print_validate_report(report, global.printing());
    outcome.code = report.exit_code();
  });
}

}  // namespace cxtm::cli
