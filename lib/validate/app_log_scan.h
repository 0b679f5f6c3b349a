#pragma once
// The lines of an instrumented app's own log that show the instrumentation did not start, or
// started and does not work: Python's site hook failing, OpenTelemetry's start-up or one
// instrumentation failing, an instrumentation skipping itself, spans that cannot reach the
// collector. Each kind once (its first line, and how many there were), with what to do, in the
// order their first lines come. Pure.

#include <string>
#include <string_view>
#include <vector>

namespace cxtm::validate {

struct AppLogFinding {
  std::string line;    // the first line of its kind, as the log has it (one line, bounded)
  int count = 0;       // how many lines of that kind
  std::string remedy;  // what to do about it
};

std::vector<AppLogFinding> scan_app_log(std::string_view log);

}  // namespace cxtm::validate
