#pragma once
// Text put into SignalFlow programs (Splunk's analytics language, Python-like).

#include <string>
#include <string_view>

namespace cxtm::dashboards {

// text as a single-quoted SignalFlow string literal: backslash, quote and control characters
// escaped, so no service or environment name can end the string or add a statement.
std::string signalflow_string(std::string_view text);

}  // namespace cxtm::dashboards
