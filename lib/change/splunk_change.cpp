#include "change/splunk_change.h"

#include <fmt/core.h>

#include <cstdlib>

#include "core/one_line.h"
#include "net/url.h"

namespace cxtm::change {
namespace {

// "HTTP 401: Unauthorized" from Splunk's {"code", "message"} answer, or the transport error.
std::string why_not(const net::HttpResponse& response) {
  if (!response.answered()) return response.describe();
  const Json body = Json::parse(response.body, nullptr, false);
  const std::string message =
      member(body, "message").is_string() ? body["message"].get<std::string>() : response.body;
  return one_line(fmt::format("HTTP {}: {}", response.status, message.substr(0, 200)));
}

bool success(const net::HttpResponse& response) {
  return response.status >= 200 && response.status < 300;
}

}  // namespace

std::string splunk_ingest_url(const config::Config& config) {
  const char* override_url = std::getenv(std::string(kSplunkIngestUrlVariable).c_str());
  const bool overridden = override_url != nullptr && *override_url != '\0';
  std::string url = overridden ? override_url : config.endpoints().ingest;
  while (url.ends_with('/')) url.pop_back();
  net::require_safe_for_tokens(url, overridden
                                        ? std::string(kSplunkIngestUrlVariable)
                                        : "the Splunk ingest URL of realm " + config.splunk.realm);
  return url;
}

net::HttpResponse SplunkChange::send(std::string method, std::string url, const std::string& token,
                                     std::string body) {
  net::HttpRequest request{.method = std::move(method),
                           .url = std::move(url),
                           .headers = {{"X-SF-Token", token}},
                           .body = std::move(body),
                           .timeout = timeout_};
  if (!request.body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  return http_.send(request);
}

SplunkChange::Posted SplunkChange::post_events(const std::string& ingest_url,
                                               const std::string& token, const Json& events) {
  const auto response = send("POST", ingest_url + "/v2/event", token, events.dump());
  if (success(response)) return {};
  return {.problem = why_not(response),
          .token_refused = response.status == 401 || response.status == 403};
}

SplunkChange::Muted SplunkChange::mute(const std::string& api_url, const std::string& token,
                                       const std::string& detector_id,
                                       const std::string& description, long long now_ms,
                                       Duration duration) {
  const Json rule = {
      {"description", description},
      {"filters",
       Json::array(
           {{{"property", "sf_detectorId"}, {"propertyValue", detector_id}, {"NOT", false}}})},
      {"startTime", now_ms},
      {"stopTime", now_ms + duration.count()}};
  const auto response = send("POST", api_url + "/v2/alertmuting", token, rule.dump());
  if (!success(response)) {
    return {"", why_not(response), !response.answered() || response.status >= 500};
  }
  const Json created = Json::parse(response.body, nullptr, false);
  if (!member(created, "id").is_string()) {
    return {"", "Splunk's answer names no muting rule"};
  }
  return {created["id"].get<std::string>(), ""};
}

std::string SplunkChange::unmute(const std::string& api_url, const std::string& token,
                                 const std::string& id) {
  const auto response = send("DELETE", api_url + "/v2/alertmuting/" + id, token, "");
  // 404: gone already; 400 "Cannot delete alert muting in the past": over already.
  const bool over =
      response.status == 400 && response.body.find("in the past") != std::string::npos;
  if (success(response) || response.status == 404 || over) return "";
  return why_not(response);
}

}  // namespace cxtm::change
