#pragma once
// The part of Splunk Observability Cloud's API validate reads, with an API token in the
// X-SF-Token header (an org access token with the API scope, or a session token; not the
// ingest token):
//   GET  /v2/apm/trace/{traceId}/segments  segment timestamps; 404 until the trace is stored
//   GET  /v2/apm/trace/{traceId}/latest    the spans of the latest segment (serviceName)
//   POST /v2/apm/topology                  services with spans in a time range (>= 5 minutes)
// Base URL: https://api.<realm>.signalfx.com (config::endpoints), or $CXTM_O11Y_SPLUNK_API_URL.

#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/duration.h"
#include "core/time_source.h"
#include "net/http_client.h"
#include "net/retry.h"

namespace cxtm::splunk {

// The environment variable that replaces the realm's API URL (tests, proxies, other hosts).
inline constexpr std::string_view kSplunkApiUrlVariable = "CXTM_O11Y_SPLUNK_API_URL";
// The environment variable that holds the API token.
inline constexpr std::string_view kSplunkApiTokenVariable = "SPLUNK_API_TOKEN";

enum class LookupState {
  found,    // the trace is stored
  not_yet,  // 404 (or no segments yet): not ingested so far
  refused,  // 401 or 403: the token is wrong; waiting will not help
  failed,   // anything else (5xx, 429 past the deadline, no answer)
};

struct TraceLookup {
  LookupState state = LookupState::failed;
  int status = 0;                     // the last HTTP status (0: no answer)
  std::vector<std::string> services;  // serviceName of the spans found
  std::string message;                // one line: what Splunk said
  std::optional<Duration> retry_after;
  int polls = 0;  // requests made for this answer (the wait counts them all)
};

struct PollOptions {
  Duration initial_interval = std::chrono::seconds(1);  // doubled after each miss
  Duration max_interval = std::chrono::seconds(10);
  std::function<bool()> interrupted;
};

struct ActiveServices {
  bool ok = false;
  std::set<std::string> services;  // non-inferred services with spans in the range
  int status = 0;
  std::string message;  // when not ok
  int polls = 0;        // wait_for_services: the looks it took
};

class TraceApi {
 public:
  // time: the deadlines' clock, and the pauses between looks and retries.
  TraceApi(net::HttpClient& http, std::string base_url, std::string token,
           TimeSource& time = system_time())
      : http_(http), base_url_(std::move(base_url)), token_(std::move(token)), time_(time) {}

  // The clock its deadlines are on.
  TimeSource& time() const { return time_; }

  // One look for the trace (and, when stored, its services).
  TraceLookup lookup_trace(const std::string& trace_id, Duration timeout);

  // Looks until the trace is found, the token is refused, or the deadline: waits between looks
  // back off (Retry-After on 429 is honoured, but never past the deadline).
  TraceLookup wait_for_trace(const std::string& trace_id, Clock::time_point deadline,
                             const PollOptions& options);

  // The services with spans between from and to (the API wants at least 5 minutes) in
  // environment (all environments when empty).
  ActiveServices active_services(std::chrono::system_clock::time_point from,
                                 std::chrono::system_clock::time_point to,
                                 const std::string& environment, Clock::time_point deadline);

  // Looks until every one of services has spans between from and the time of the look, the
  // token is refused, or the deadline; waits back off as wait_for_trace's. Returns the last
  // look (its services: those seen, which may be more than asked for); polls counts the looks.
  ActiveServices wait_for_services(const std::set<std::string>& services,
                                   std::chrono::system_clock::time_point from,
                                   const std::string& environment, Clock::time_point deadline,
                                   const PollOptions& options);

  // The one-line explanation for a 401 or 403 from this API.
  static std::string explain_refusal(int status);

 private:
  net::HttpRequest request(std::string method, std::string path, Duration timeout) const;

  net::HttpClient& http_;
  std::string base_url_;
  std::string token_;
  TimeSource& time_;
};

}  // namespace cxtm::splunk
