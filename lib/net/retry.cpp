#include "net/retry.h"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <ctime>

#include "core/error.h"

namespace cxtm::net {
namespace {

// A longer wait is as good as "never" (the deadline comes first); the bounds also keep the
// arithmetic in range, whatever a server sends (fuzzing found an HTTP date in year 15
// overflowing the clock's nanoseconds).
constexpr long long kLongestWaitSeconds = 10LL * 365 * 24 * 3600;
constexpr std::time_t kLatestDate = 4102444800;  // 2100-01-01T00:00:00Z

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view value) {
  std::tm parts{};
  const std::string text(value);
  // IMF-fixdate, the form RFC 9110 requires senders to use.
  const char* end = ::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &parts);
  if (end == nullptr || *end != '\0') return std::nullopt;
  const std::time_t seconds = ::timegm(&parts);
  if (seconds == -1) return std::nullopt;
  // Before 1970 is in the past all the same; after 2100, far enough.
  return std::chrono::system_clock::from_time_t(std::clamp<std::time_t>(seconds, 0, kLatestDate));
}

}  // namespace

std::optional<Duration> parse_retry_after(std::string_view value,
                                          std::chrono::system_clock::time_point now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  long long seconds = 0;
  const auto [ptr, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (error == std::errc() && ptr == value.data() + value.size()) {
    if (seconds < 0) return std::nullopt;
    return std::chrono::duration_cast<Duration>(
        std::chrono::seconds(std::min(seconds, kLongestWaitSeconds)));
  }
  const auto date = parse_http_date(value);
  if (!date) return std::nullopt;
  return std::max(Duration(0), std::chrono::duration_cast<Duration>(*date - now));
}

bool retryable(const HttpResponse& response) {
  const int status = response.status;
  return status == 0 || status == 429 || status == 502 || status == 503 || status == 504;
}

bool retryable_read(const HttpResponse& response) {
  return retryable(response) || response.status == 500;
}

Duration retry_delay(const RetryPolicy& policy, int attempt, std::optional<Duration> retry_after) {
  if (retry_after) return *retry_after;
  Duration delay = policy.initial_backoff;
  for (int i = 1; i < attempt && delay < policy.max_backoff; ++i) delay *= 2;
  return std::min(delay, policy.max_backoff);
}

RetriedResponse send_with_retries(HttpClient& http, HttpRequest request, const RetryPolicy& policy,
                                  Clock::time_point deadline, TimeSource& time,
                                  const std::function<bool()>& interrupted) {
  const Duration request_timeout = request.timeout;
  RetriedResponse outcome;
  while (true) {
    const auto left = std::chrono::duration_cast<Duration>(deadline - time.now());
    request.timeout = std::max(kMinimumRequestTimeout, std::min(request_timeout, left));
    outcome.last = http.send(request);
    ++outcome.attempts;
    if (!policy.retry_when(outcome.last)) return outcome;
    // A request that hung until its timeout is not sent again: the next would hang as well.
    if (outcome.last.timed_out || outcome.attempts >= policy.max_attempts) {
      outcome.gave_up = true;
      return outcome;
    }
    const auto retry_after =
        parse_retry_after(outcome.last.header("Retry-After"), std::chrono::system_clock::now());
    const Duration delay = retry_delay(policy, outcome.attempts, retry_after);
    const std::string why = retry_after ? fmt::format("{}, Retry-After {}", outcome.last.describe(),
                                                      format_duration(*retry_after))
                                        : outcome.last.describe();
    if (time.now() + delay >= deadline) {
      outcome.notes.push_back(
          fmt::format("{}: not retried, the wait would pass the deadline", why));
      outcome.gave_up = true;
      return outcome;
    }
    outcome.notes.push_back(fmt::format("{}: retried after {}", why, format_duration(delay)));
    time.sleep_for(delay);
    if (interrupted && interrupted()) throw Error(ExitCode::interrupted, "interrupted");
  }
}

}  // namespace cxtm::net
