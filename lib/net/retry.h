#pragma once
// Bounded retries for HTTP the way OTLP/HTTP and Splunk's API ask for them: 429, 502, 503 and
// 504 are retried, honouring Retry-After (seconds or an HTTP date) when the server sends it and
// backing off exponentially when it does not; never more than max_attempts, never past the
// deadline.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/duration.h"
#include "core/time_source.h"
#include "net/http_client.h"

namespace cxtm::net {

// The wait a Retry-After value asks for: delta-seconds ("120") or an IMF-fixdate ("Wed, 21 Oct
// 2015 07:28:00 GMT", compared with now). nullopt when absent or unreadable; a date in the past
// is zero.
std::optional<Duration> parse_retry_after(std::string_view value,
                                          std::chrono::system_clock::time_point now);

// Whether OTLP/HTTP (and Splunk's API) say to retry this answer: 429, 502, 503, 504, or no
// answer at all.
bool retryable(const HttpResponse& response);
// Whether a read (a GET, safe to send again) should be: what retryable() says, and 500, which
// Splunk's API answers now and then under load.
bool retryable_read(const HttpResponse& response);

struct RetryPolicy {
  int max_attempts = 4;
  Duration initial_backoff = std::chrono::milliseconds(500);
  Duration max_backoff = std::chrono::seconds(8);
  std::function<bool(const HttpResponse&)> retry_when = retryable;  // which answers are retried
};

// The wait before attempt number `attempt + 1` after attempt `attempt` (1-based) was refused:
// Retry-After when given, else initial_backoff doubled per attempt, capped at max_backoff.
Duration retry_delay(const RetryPolicy& policy, int attempt, std::optional<Duration> retry_after);

// How a sequence of attempts went.
struct RetriedResponse {
  HttpResponse last;
  int attempts = 0;
  std::vector<std::string> notes;  // one line per retry: "HTTP 429, Retry-After 1s: retried"
  bool gave_up = false;  // stopped while the answer was still retryable (attempts or deadline)
};

// A request is never given less time than this, even close to the deadline.
inline constexpr Duration kMinimumRequestTimeout = std::chrono::seconds(1);

// Sends request until it gets an answer policy.retry_when does not retry, max_attempts are used, or
// the next wait would pass the deadline (each request's timeout is also cut to the deadline, but
// not below kMinimumRequestTimeout).
// deadline is on time's clock, which also makes the waits (tests pass one that only counts
// them); interrupted is checked between attempts.
RetriedResponse send_with_retries(HttpClient& http, HttpRequest request, const RetryPolicy& policy,
                                  Clock::time_point deadline, TimeSource& time,
                                  const std::function<bool()>& interrupted = {});

}  // namespace cxtm::net
