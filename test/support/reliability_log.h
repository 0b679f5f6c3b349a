#pragma once
// The figures of bench/reliability-report: tests append "<metric> <value>" lines to
// $CXTM_RELIABILITY_LOG (when set) and the report sums them per metric.

#include <string>

namespace cxtm::testing {

// Appends one figure; nothing when $CXTM_RELIABILITY_LOG is unset or empty.
void log_reliability(const std::string& metric, int value);

}  // namespace cxtm::testing
