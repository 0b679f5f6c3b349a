#pragma once
// Check 4: a test span reaches the collector. The OTLP/HTTP JSON request (otlp_payload.h) is
// POSTed to the collector's /v1/traces through the service proxy; 2xx with no rejected spans
// passes; 429 and 503 (and 502, 504, no answer) are retried with Retry-After honoured, a few
// times at most and never past the deadline.

#include <functional>
#include <string>

#include "config/config.h"
#include "net/http_client.h"
#include "net/retry.h"
#include "validate/otlp_payload.h"
#include "validate/report.h"

namespace cxtm::validate {

struct SendOptions {
  net::RetryPolicy retry;
  Clock::time_point deadline;
  Duration request_timeout = std::chrono::seconds(10);
  TimeSource* time = &system_time();  // the deadline's clock, and the pauses between retries
  std::function<bool()> interrupted;
};

// Sends trace and judges the collector's answer. Returns true when every span was accepted.
bool check_test_span(net::HttpClient& http, const std::string& proxy_url,
                     const config::Config& config, const TestTrace& trace,
                     const SendOptions& options, CheckResult& result);

}  // namespace cxtm::validate
