#include "validate/log_scan.h"

#include <regex>

namespace cxtm::validate {
namespace {

// A bare "401" would match timestamps and byte counts; the status code is matched with the
// words the exporters put before it.
const std::regex& auth_pattern() {
  static const std::regex pattern(
      R"(unauthori[sz]ed|forbidden|(status|code)[^0-9\n]{0,16}\b40[13]\b|invalid (access )?token)",
      std::regex::icase | std::regex::optimize);
  return pattern;
}

const std::regex& dropped_pattern() {
  static const std::regex pattern(R"(dropping data|dropped_items|data dropped|dropped \d+ spans)",
                                  std::regex::icase | std::regex::optimize);
  return pattern;
}

}  // namespace

std::vector<LogLine> scan_collector_log(std::string_view log) {
  std::vector<LogLine> found;
  while (!log.empty()) {
    const auto newline = log.find('\n');
    const std::string line(log.substr(0, newline));
    if (std::regex_search(line, auth_pattern())) {
      found.push_back({LogProblem::auth, line});
    } else if (std::regex_search(line, dropped_pattern())) {
      found.push_back({LogProblem::dropped, line});
    }
    if (newline == std::string_view::npos) break;
    log.remove_prefix(newline + 1);
  }
  return found;
}

}  // namespace cxtm::validate
