#include <fmt/core.h>

#include "actions/service_status.h"
#include "actions/services.h"
#include "cli/commands.h"
#include "cli/service_selection.h"

namespace cxtm::cli {
namespace {

// Instrumented and current reads well; half-done or outdated wants a look; an error is bad.
print::Tone tone_of(const actions::ServiceStatus& status) {
  if (!status.error.empty() || !status.found) return print::Tone::bad;
  if (status.state == "instrumented") return print::Tone::good;
  if (status.state == "not instrumented") return print::Tone::quiet;
  return print::Tone::warning;
}

}  // namespace

void setup_status(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  auto selection = std::make_shared<ServiceSelection>();
  CLI::App* command = app.add_subcommand(
      "status", "Show each service: instrumented or not, ready pods, installer state, backups");
  add_service_selection(*command, *selection, /*all_by_default=*/true);
  command->callback([selection, &global, &outcome] {
    auto session = global.session();
    const auto services = selected_services(*session, *selection, /*all_by_default=*/true);
    const auto statuses =
        actions::service_statuses(session->context(), session->stores(), services);
    const auto printing = global.printing();
    if (printing.format != print::Format::text) {
      Json list = Json::array();
      for (const auto& status : statuses) list.push_back(status.to_json());
      fmt::print("{}", print::format_document(Json{{"services", list}}, printing.format));
    } else {
      fmt::print("{:<16} {:<32} {:<30} {:<7} {:<14} {}\n", "SERVICE", "DEPLOYMENT", "STATE",
                 "READY", "BACKUP", "VERSION");
      for (const auto& status : statuses) {
        const std::string backup = status.backup_cluster && status.backup_local ? "cluster+local"
                                   : status.backup_cluster                      ? "cluster"
                                   : status.backup_local                        ? "local"
                                                                                : "-";
        const std::string state =
            !status.error.empty() ? "error: " + status.error
            : !status.found       ? "Deployment not found"
            : status.via == "git" ? fmt::format("{} (Git: {})", status.state, status.writer)
            : status.injector == "operator" ? fmt::format("{} (Operator)", status.state)
                                            : status.state;
        fmt::print("{:<16} {:<32} {} {:<7} {:<14} {}\n", status.service, status.deployment,
                   print::paint_padded(state, 30, tone_of(status), printing.colour),
                   fmt::format("{}/{}", status.ready, status.desired), backup,
                   status.tool_version.empty() ? "-" : status.tool_version);
        // Per pod: the tool's installer, or whether the Operator injected it.
        const char* per_pod = status.injector == "operator" ? "injection" : "installer";
        for (const auto& line : status.installer) fmt::print("  {} {}\n", per_pod, line);
        if (status.volume) {
          const auto& volume = *status.volume;
          std::string kept;
          for (const auto& item : volume.kept) kept += (kept.empty() ? "" : ", ") + item;
          fmt::print(
              "  volume: added {} distributions; the app's own kept: {}; overrides of "
              "the app's: {}\n",
              volume.added.size(), kept.empty() ? "none" : kept,
              volume.overrides ? std::to_string(*volume.overrides) : "not reported");
        }
        for (const auto& line : status.drift) fmt::print("  drift: {}\n", line);
        if (!status.gitops.empty() && status.via != "git") {
          fmt::print(
              "  gitops: managed by {}: its next sync reverts a live change; instrument with "
              "--output-dir to put the change in Git\n",
              status.gitops);
        }
      }
    }
    outcome.code = ExitCode::ok;
    for (const auto& status : statuses) {
      if (!status.error.empty()) outcome.code = ExitCode::api_error;
    }
  });
}

}  // namespace cxtm::cli
