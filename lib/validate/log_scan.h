#pragma once
// The collector log lines that explain why spans do not reach Splunk: the ingest endpoint
// refusing the token (401/403, "Unauthorized", "Forbidden") and data the exporter dropped.
// Pure.

#include <string>
#include <string_view>
#include <vector>

namespace cxtm::validate {

enum class LogProblem { auth, dropped };

struct LogLine {
  LogProblem problem;
  std::string line;
};

// The lines of log that show an auth refusal or dropped data, in order; an auth refusal wins
// when a line shows both.
std::vector<LogLine> scan_collector_log(std::string_view log);

}  // namespace cxtm::validate
