#include <fmt/core.h>

#include "actions/plan.h"
#include "actions/validate.h"
#include "cli/collector_output.h"
#include "cli/commands.h"
#include "cli/dashboards_output.h"
#include "cli/detailed_exitcode.h"
#include "config/ca_bundle.h"
#include "core/secret_env.h"
#include "net/http_client.h"
#include "print/format.h"
#include "splunk/trace_api.h"

namespace cxtm::cli {
namespace {

Json plan_json(const actions::PlanReport& report) {
  Json parts = Json::array();
  for (const auto& part : report.parts) {
    parts.push_back({{"name", part.name},
                     {"changesPending", part.pending},
                     {"skipped", part.skipped},
                     {"exitCode", static_cast<int>(part.code)},
                     {"summary", part.summary},
                     {"details", part.details}});
  }
  Json services = Json::array();
  for (const auto& result : report.services) services.push_back(result.to_json());
  return Json{
      {"parts", parts},
      {"collector", report.collector ? report.collector->to_json() : Json(nullptr)},
      {"services", services},
      {"dashboards", report.dashboards ? apply_json(*report.dashboards, true) : Json(nullptr)},
      {"changesPending", report.changes_pending()},
      {"exitCode", static_cast<int>(report.code())}};
}

void print_plan_text(const actions::PlanReport& report) {
  fmt::print("{:<12} {:<8} {}\n", "PART", "CHANGES", "SUMMARY");
  for (const auto& part : report.parts) {
    const std::string changes = part.code != ExitCode::ok ? "error"
                                : part.skipped            ? "-"
                                : part.pending            ? "pending"
                                                          : "none";
    fmt::print("{:<12} {:<8} {}\n", part.name, changes, part.summary);
    for (const auto& detail : part.details) fmt::print("  {}\n", detail);
  }
  if (report.code() != ExitCode::ok) {
    fmt::print("plan: incomplete (a part failed; see above)\n");
  } else if (report.changes_pending()) {
    fmt::print(
        "plan: changes pending (see each with its command's --dry-run; apply with `collector "
        "deploy`, `instrument --all`, `dashboards apply`)\n");
  } else {
    fmt::print("plan: nothing to do\n");
  }
}

}  // namespace

void setup_plan(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  auto detailed = std::make_shared<bool>(false);
  CLI::App* command = app.add_subcommand(
      "plan",
      "Every dry run for the config at once (collector, services, dashboards): one summary");
  command->footer(
      "Writes nothing. The dashboards part needs $SPLUNK_API_TOKEN and is skipped without it.\n"
      "Examples:\n"
      "  cxtm-o11y plan\n"
      "  cxtm-o11y plan --detailed-exitcode -o json   # CI: 0 nothing to do, 2 pending, 1 error");
  add_detailed_exitcode_flag(*command, *detailed);
  // The callback keeps the flag's storage alive for CLI11 (main.cpp reads the flag from argv).
  command->callback([detailed, &global, &outcome] {
    auto session = global.session();
    actions::PlanDashboards dashboards;
    std::unique_ptr<net::CurlHttpClient> http;
    std::unique_ptr<splunk::ObjectsApi> splunk;
    if (const auto token = take_secret_env(std::string(splunk::kSplunkApiTokenVariable))) {
      const std::string url = actions::splunk_api_url(session->config());
      http = std::make_unique<net::CurlHttpClient>(
          config::ca_bundle_for(url, session->config().ca_bundle, session->config().source));
      splunk = std::make_unique<splunk::ObjectsApi>(*http, url, *token, std::chrono::seconds(30));
      dashboards.splunk = splunk.get();
    } else {
      dashboards.skip_reason =
          fmt::format("no ${} to read Splunk with", splunk::kSplunkApiTokenVariable);
    }
    const auto report = actions::run_plan(session->context(), session->stores(), dashboards);
    if (global.format() == print::Format::text) {
      print_plan_text(report);
    } else {
      fmt::print("{}", print::format_document(plan_json(report), global.format()));
    }
    outcome.code = report.code();
    outcome.changes_pending = report.changes_pending();
  });
}

}  // namespace cxtm::cli
