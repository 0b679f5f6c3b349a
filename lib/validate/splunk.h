#pragma once
// Check 7 (--splunk): Splunk Observability Cloud has stored the test trace (its APM trace API
// is polled until the trace appears or the deadline), and each service has sent spans of its
// own (APM's service topology, polled from kRecentWindow before the test until the deadline; the
// test spans are the tool's service's, not theirs). A service without fails.

#include <chrono>
#include <string>
#include <vector>

#include "splunk/trace_api.h"
#include "validate/otlp_payload.h"
#include "validate/report.h"

namespace cxtm::validate {

// How far before the test a service's spans count: the topology API wants at least 5 minutes.
inline constexpr auto kRecentWindow = std::chrono::minutes(15);

struct SplunkCheckOptions {
  Clock::time_point deadline;
  splunk::PollOptions poll;
  std::string environment;  // sf_environment of the services
  std::string realm;        // for messages
};

// services: the OTEL service names to look for (none: only the trace is looked up).
void check_splunk(splunk::TraceApi& api, const TestTrace& trace,
                  const std::vector<std::string>& services, const SplunkCheckOptions& options,
                  CheckResult& result);

}  // namespace cxtm::validate
