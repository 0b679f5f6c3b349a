#include "splunk/trace_api.h"

#include <fmt/core.h>

#include <algorithm>

#include "core/error.h"
#include "core/json.h"

namespace cxtm::splunk {
namespace {

constexpr Duration kRequestTimeout = std::chrono::seconds(10);

Duration time_left(Clock::time_point deadline, const TimeSource& time) {
  return std::chrono::duration_cast<Duration>(deadline - time.now());
}

std::string short_body(const std::string& body) {
  std::string text = body.substr(0, 200);
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

long long unix_millis(std::chrono::system_clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

// Waits before the next look, unless the deadline comes first (false then). An interrupt during
// the wait stops the command.
bool pause_before_next_look(Duration wait, Clock::time_point deadline, const PollOptions& options,
                            TimeSource& time) {
  if (time_left(deadline, time) <= wait) return false;
  time.sleep_for(wait);
  if (options.interrupted && options.interrupted()) {
    throw Error(ExitCode::interrupted, "interrupted");
  }
  return true;
}

}  // namespace

std::string TraceApi::explain_refusal(int status) {
  if (status == 401) {
    return fmt::format(
        "Splunk refused {} (HTTP 401): it must be an API token of this organisation and realm "
        "(an org access token with the API scope, or a session token), not the ingest token",
        kSplunkApiTokenVariable);
  }
  return fmt::format(
      "Splunk accepted {} but forbids reading traces (HTTP 403): the token needs the API scope "
      "and a user role of read_only, power or admin",
      kSplunkApiTokenVariable);
}

net::HttpRequest TraceApi::request(std::string method, std::string path, Duration timeout) const {
  return net::HttpRequest{.method = std::move(method),
                          .url = base_url_ + path,
                          .headers = {{"X-SF-Token", token_}, {"Accept", "application/json"}},
                          .timeout = timeout};
}

TraceLookup TraceApi::lookup_trace(const std::string& trace_id, Duration timeout) {
  TraceLookup lookup;
  const auto answer =
      http_.send(request("GET", fmt::format("/v2/apm/trace/{}/segments", trace_id), timeout));
  lookup.polls = 1;
  lookup.status = answer.status;
  if (!answer.answered()) {
    lookup.message = answer.error;
    return lookup;
  }
  if (answer.status == 401 || answer.status == 403) {
    lookup.state = LookupState::refused;
    lookup.message = explain_refusal(answer.status);
    return lookup;
  }
  if (answer.status == 404) {
    lookup.state = LookupState::not_yet;
    lookup.message = "not found yet (HTTP 404)";
    return lookup;
  }
  if (answer.status == 429) {
    lookup.retry_after =
        net::parse_retry_after(answer.header("Retry-After"), std::chrono::system_clock::now());
    lookup.message = "rate limited (HTTP 429)";
    return lookup;
  }
  if (answer.status != 200) {
    lookup.message = fmt::format("HTTP {}: {}", answer.status, short_body(answer.body));
    return lookup;
  }
  const Json segments = Json::parse(answer.body, nullptr, false);
  if (segments.is_discarded() || !segments.is_array()) {
    lookup.message = "the segments answer is not a JSON array";
    return lookup;
  }
  if (segments.empty()) {
    lookup.state = LookupState::not_yet;
    lookup.message = "no segments yet";
    return lookup;
  }
  lookup.state = LookupState::found;
  lookup.message =
      fmt::format("found ({} segment{})", segments.size(), segments.size() == 1 ? "" : "s");
  // Which services the stored spans name; the trace counts as found even if this read fails.
  const auto spans =
      http_.send(request("GET", fmt::format("/v2/apm/trace/{}/latest", trace_id), timeout));
  ++lookup.polls;
  const Json list = Json::parse(spans.body, nullptr, false);
  if (spans.status == 200 && list.is_array()) {
    for (const Json& span : list) {
      if (!span.is_object()) continue;
      const std::string service = span.value("serviceName", "");
      if (!service.empty() && std::find(lookup.services.begin(), lookup.services.end(), service) ==
                                  lookup.services.end()) {
        lookup.services.push_back(service);
      }
    }
  }
  return lookup;
}

TraceLookup TraceApi::wait_for_trace(const std::string& trace_id, Clock::time_point deadline,
                                     const PollOptions& options) {
  Duration interval = options.initial_interval;
  int polls = 0;
  while (true) {
    TraceLookup lookup =
        lookup_trace(trace_id, std::max(net::kMinimumRequestTimeout,
                                        std::min(kRequestTimeout, time_left(deadline, time_))));
    polls += lookup.polls;
    lookup.polls = polls;
    if (lookup.state == LookupState::found || lookup.state == LookupState::refused) return lookup;
    const bool retryable_answer = lookup.state == LookupState::not_yet || lookup.status == 0 ||
                                  lookup.status == 429 || lookup.status >= 500;
    if (!retryable_answer) return lookup;
    if (!pause_before_next_look(lookup.retry_after.value_or(interval), deadline, options, time_)) {
      if (lookup.state != LookupState::not_yet) lookup.state = LookupState::failed;
      return lookup;
    }
    interval = std::min(interval * 2, options.max_interval);
  }
}

ActiveServices TraceApi::active_services(std::chrono::system_clock::time_point from,
                                         std::chrono::system_clock::time_point to,
                                         const std::string& environment,
                                         Clock::time_point deadline) {
  Json body = {{"timeRange", fmt::format("{}/{}", unix_millis(from), unix_millis(to))}};
  if (!environment.empty()) {
    body["tagFilters"] = Json::array({{{"name", "sf_environment"},
                                       {"operator", "equals"},
                                       {"scope", "GLOBAL"},
                                       {"value", environment}}});
  }
  net::HttpRequest post = request("POST", "/v2/apm/topology", kRequestTimeout);
  post.headers.emplace_back("Content-Type", "application/json");
  post.body = body.dump();
  const auto outcome = net::send_with_retries(http_, post, net::RetryPolicy{}, deadline, time_);
  ActiveServices active{.status = outcome.last.status};
  if (!outcome.last.answered()) {
    active.message = outcome.last.error;
    return active;
  }
  if (outcome.last.status == 401 || outcome.last.status == 403) {
    active.message = explain_refusal(outcome.last.status);
    return active;
  }
  const Json answer = Json::parse(outcome.last.body, nullptr, false);
  if (outcome.last.status != 200 || answer.is_discarded() || !answer.is_object()) {
    active.message = fmt::format("HTTP {}: {}", outcome.last.status, short_body(outcome.last.body));
    return active;
  }
  // The nodes sit at the top level or under "data", depending on the API version.
  const Json& holder = member(answer, "data").is_object() ? answer["data"] : answer;
  if (const Json& nodes = member(holder, "nodes"); nodes.is_array()) {
    for (const Json& node : nodes) {
      if (!node.is_object() || node.value("inferred", false)) continue;
      const std::string name = node.value("serviceName", "");
      if (!name.empty()) active.services.insert(name);
    }
  }
  active.ok = true;
  return active;
}

ActiveServices TraceApi::wait_for_services(const std::set<std::string>& services,
                                           std::chrono::system_clock::time_point from,
                                           const std::string& environment,
                                           Clock::time_point deadline, const PollOptions& options) {
  Duration interval = options.initial_interval;
  int polls = 0;
  while (true) {
    ActiveServices active =
        active_services(from, std::chrono::system_clock::now(), environment, deadline);
    active.polls = ++polls;
    const bool all_seen = std::all_of(services.begin(), services.end(), [&](const auto& name) {
      return active.services.contains(name);
    });
    if (all_seen || active.status == 401 || active.status == 403) return active;
    if (!pause_before_next_look(interval, deadline, options, time_)) return active;
    interval = std::min(interval * 2, options.max_interval);
  }
}

}  // namespace cxtm::splunk
