#include "splunk/objects_api.h"

#include <fmt/core.h>

#include <algorithm>
#include <thread>

#include "core/one_line.h"
#include "net/retry.h"
#include "net/url.h"

namespace cxtm::splunk {
namespace {

using net::query_string;
using net::url_encoded;

// The page size of searches (the API's maximum is larger; pages keep answers small).
constexpr int kPageSize = 100;
// Searches stop here: a loop over pages must end even if the server keeps saying "more".
constexpr int kMaxPages = 100;
// A write refused with 429 was not processed: it is sent again, this often at most.
constexpr int kWriteAttempts = 4;

}  // namespace

namespace {

struct TypeNames {
  std::string_view shown;  // in messages
  std::string_view api;    // in the API's paths
};

TypeNames names_of(ObjectType type) {
  switch (type) {
    case ObjectType::dashboard_group:
      return {"dashboard group", "dashboardgroup"};
    case ObjectType::chart:
      return {"chart", "chart"};
    case ObjectType::dashboard:
      return {"dashboard", "dashboard"};
    case ObjectType::detector:
      return {"detector", "detector"};
  }
  return {"object", "object"};
}

}  // namespace

std::string_view type_name(ObjectType type) {
  return names_of(type).shown;
}

std::string_view api_name(ObjectType type) {
  return names_of(type).api;
}

std::pair<ExitCode, std::string> ObjectsApi::explain(const net::HttpResponse& answer,
                                                     Duration timeout) {
  if (!answer.answered()) {
    if (answer.timed_out) {
      return {ExitCode::timeout,
              fmt::format("Splunk did not answer within {} (--timeout)", format_duration(timeout))};
    }
    return {ExitCode::api_error, fmt::format("Splunk's API is unreachable: {}", answer.error)};
  }
  // Splunk's errors are {"code": N, "message": "..."}; the message says what was wrong.
  const Json body = Json::parse(answer.body, nullptr, false);
  const Json& message = member(body, "message");
  std::string said = message.is_string() ? message.get<std::string>() : answer.body.substr(0, 200);
  said = one_line(said);
  const std::string cause = said.empty() ? fmt::format("HTTP {}", answer.status)
                                         : fmt::format("HTTP {}: {}", answer.status, said);
  switch (answer.status) {
    case 401:
      return {
          ExitCode::forbidden,
          cause + " (SPLUNK_API_TOKEN must be an API token of this realm, not the ingest token)"};
    case 403:
      return {ExitCode::forbidden,
              cause +
                  " (the token's user needs the power or admin role to write dashboards and "
                  "detectors)"};
    case 404:
      return {ExitCode::not_found, cause};
    case 409:
      return {ExitCode::conflict, cause};
    default:
      return {ExitCode::api_error, cause};
  }
}

net::HttpRequest ObjectsApi::request(std::string method, std::string url) const {
  return net::HttpRequest{.method = std::move(method),
                          .url = std::move(url),
                          .headers = {{"X-SF-Token", token_},
                                      {"Accept", "application/json"},
                                      {"Content-Type", "application/json"}},
                          .timeout = request_timeout_};
}

net::HttpResponse ObjectsApi::read(const std::string& path_and_query) {
  // The whole retry sequence gets four request timeouts; each wait is bounded by the policy.
  const net::RetryPolicy policy{.retry_when = net::retryable_read};
  const auto deadline = time_.now() + request_timeout_ * policy.max_attempts;
  return net::send_with_retries(http_, request("GET", base_url_ + path_and_query), policy, deadline,
                                time_)
      .last;
}

net::HttpResponse ObjectsApi::write(const std::string& method, const std::string& path,
                                    const std::string& body) {
  net::HttpRequest sent = request(method, base_url_ + path);
  sent.body = body;
  net::HttpResponse answer;
  for (int attempt = 1; attempt <= kWriteAttempts; ++attempt) {
    answer = http_.send(sent);
    if (answer.status != 429 || attempt == kWriteAttempts) break;
    const auto retry_after =
        net::parse_retry_after(answer.header("Retry-After"), std::chrono::system_clock::now());
    time_.sleep_for(net::retry_delay(net::RetryPolicy{}, attempt, retry_after));
  }
  return answer;
}

Json ObjectsApi::answer_json(const net::HttpResponse& answer, const std::string& what) const {
  if (answer.status < 200 || answer.status > 299) {
    const auto [code, cause] = explain(answer, request_timeout_);
    throw Error(code, fmt::format("{}: {}", what, cause));
  }
  if (answer.body.empty()) return Json::object();
  Json parsed = Json::parse(answer.body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    throw Error(ExitCode::api_error,
                fmt::format("{}: Splunk answered HTTP {} with a body that is not a JSON object",
                            what, answer.status));
  }
  return parsed;
}

Json ObjectsApi::write_answer_json(const net::HttpResponse& answer, const std::string& what) const {
  if (!answer.answered() || answer.status >= 500) {
    auto [code, cause] = explain(answer, request_timeout_);
    throw WriteOutcomeUnknown(code, what, std::move(cause));
  }
  return answer_json(answer, what);
}

std::optional<Json> ObjectsApi::find(ObjectType type, const std::string& id,
                                     const std::string& what) {
  const auto answer = read(fmt::format("/v2/{}/{}", api_name(type), url_encoded(id)));
  if (answer.status == 404) return std::nullopt;
  return answer_json(answer, what);
}

std::vector<Json> ObjectsApi::search(ObjectType type,
                                     const std::vector<std::pair<std::string, std::string>>& query,
                                     const std::string& what) {
  std::vector<Json> found;
  for (int page = 0; page < kMaxPages; ++page) {
    auto paged = query;
    paged.emplace_back("limit", std::to_string(kPageSize));
    paged.emplace_back("offset", std::to_string(page * kPageSize));
    const Json answer =
        answer_json(read(fmt::format("/v2/{}{}", api_name(type), query_string(paged))), what);
    if (!member(answer, "results").is_array()) {
      throw Error(ExitCode::api_error,
                  fmt::format("{}: Splunk's search answer has no results list", what));
    }
    for (const Json& result : answer["results"]) {
      if (result.is_object()) found.push_back(result);
    }
    const long long count = integer_member(answer, "count");
    if (answer["results"].size() < static_cast<size_t>(kPageSize) ||
        static_cast<long long>(found.size()) >= count) {
      break;
    }
  }
  return found;
}

Json ObjectsApi::create(ObjectType type, const Json& body, const std::string& what,
                        std::string_view query) {
  const std::string path =
      fmt::format("/v2/{}{}{}", api_name(type), query.empty() ? "" : "?", query);
  Json created = write_answer_json(write("POST", path, body.dump()), what);
  if (!member(created, "id").is_string()) {
    throw Error(ExitCode::api_error,
                fmt::format("{}: Splunk created it but did not say its id", what));
  }
  return created;
}

Json ObjectsApi::update(ObjectType type, const std::string& id, const Json& body,
                        const std::string& what) {
  return write_answer_json(
      write("PUT", fmt::format("/v2/{}/{}", api_name(type), url_encoded(id)), body.dump()), what);
}

void ObjectsApi::remove(ObjectType type, const std::string& id, const std::string& what) {
  write_answer_json(write("DELETE", fmt::format("/v2/{}/{}", api_name(type), url_encoded(id)), ""),
                    what);
}

}  // namespace cxtm::splunk
