#include "cli/service_output.h"

#include <fmt/core.h>

namespace cxtm::cli {

void print_service_results(const std::vector<actions::ServiceResult>& results, print::Format format,
                           bool show_diff) {
  if (format != print::Format::text) {
    Json services = Json::array();
    for (const auto& result : results) services.push_back(result.to_json());
    fmt::print("{}", print::format_document(
                         Json{{"services", services},
                              {"exitCode", static_cast<int>(actions::combined_code(results))}},
                         format));
    return;
  }
  for (const auto& result : results) {
    if (show_diff && !result.diff.empty()) fmt::print("{}", result.diff);
    fmt::print("{} ({}): {}\n", result.service, result.deployment, result.message);
    for (const auto& warning : result.warnings) fmt::print("  warning: {}\n", warning);
    if (result.rollout && result.outcome == actions::ServiceOutcome::failed) {
      for (const auto& problem : result.rollout->problems) fmt::print("  {}\n", problem.summary());
    }
    for (const auto& tail : result.log_tails) fmt::print("  --- log of {}\n", tail);
  }
}

}  // namespace cxtm::cli
