#include "cli/service_output.h"

#include <fmt/core.h>

#include "cli/validate_output.h"

namespace cxtm::cli {

void print_service_results(const std::vector<actions::ServiceResult>& results, print::Format format,
                           bool show_diff, const validate::Report* validation) {
  if (format != print::Format::text) {
    Json services = Json::array();
    for (const auto& result : results) services.push_back(result.to_json());
    ExitCode code = actions::combined_code(results);
    if (code == ExitCode::ok && validation != nullptr) code = validation->exit_code();
    Json document{{"services", services}, {"exitCode", static_cast<int>(code)}};
    if (validation != nullptr) document["validation"] = validation->to_json();
    fmt::print("{}", print::format_document(document, format));
    return;
  }
  for (const auto& result : results) {
    if (show_diff && !result.diff.empty()) fmt::print("{}", result.diff);
    // A service that failed is an error: one line on stderr in the usual form, its details after.
    const bool failed = result.code != ExitCode::ok;
    std::FILE* stream = failed ? stderr : stdout;
    fmt::print(stream, "{}{} ({}): {}\n", failed ? "cxtm-o11y: error: " : "", result.service,
               result.deployment, result.message);
    for (const auto& warning : result.warnings) fmt::print(stream, "  warning: {}\n", warning);
    if (result.rollout && failed) {
      for (const auto& problem : result.rollout->problems) {
        fmt::print(stream, "  {}\n", problem.summary());
      }
    }
    for (const auto& tail : result.log_tails) fmt::print(stream, "  --- log of {}\n", tail);
  }
  if (validation != nullptr) {
    fmt::print("\nvalidation of the instrumented services:\n{}", validate_report_text(*validation));
  }
}

}  // namespace cxtm::cli
