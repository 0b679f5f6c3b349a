#pragma once
// Splunk Observability Cloud's API for the objects `dashboards apply` keeps, with an API token
// in the X-SF-Token header (an org token with the API scope, or a session token):
//   /v2/dashboardgroup  POST (?empty=true: no default dashboard), GET ?name=, GET/PUT/DELETE /id
//   /v2/dashboard       POST, GET/PUT/DELETE /id   (a dashboard lives in one group: groupId)
//   /v2/chart           POST, GET/PUT/DELETE /id
//   /v2/detector        POST, GET ?tags=, GET/PUT/DELETE /id
// Searches answer {"count": N, "results": [...]} a page at a time (limit, offset). Deleting a
// group deletes its dashboards and their charts.
//
// Every failure throws Error with "<what>: <cause>": 401/403 forbidden, 404 not_found, 409
// conflict, no answer within the timeout timeout, anything else api_error. Reads are retried on
// 429/500/502/503/504; writes only on 429 (never processed), so a create is never sent twice.
// A write answered 5xx or not at all may still have landed (Splunk can commit it and then fail,
// or the answer can be lost on the way): it throws WriteOutcomeUnknown, and only reading back
// tells (dashboards/read_back.h).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/duration.h"
#include "core/error.h"
#include "core/json.h"
#include "core/time_source.h"
#include "net/http_client.h"

namespace cxtm::splunk {

enum class ObjectType { dashboard_group, chart, dashboard, detector };

// "dashboard group", "chart", ... for messages.
std::string_view type_name(ObjectType type);
// "dashboardgroup", "chart", ...: the API path segment, and the name in -o json.
std::string_view api_name(ObjectType type);

// A write whose outcome is unknown: Splunk answered 5xx, or no answer came (timeout, dropped
// connection). what() is "<what>: <cause>" as for any failure.
class WriteOutcomeUnknown : public Error {
 public:
  WriteOutcomeUnknown(ExitCode code, const std::string& what, std::string cause)
      : Error(code, what + ": " + cause), cause_(std::move(cause)) {}
  // "HTTP 500: ...", "Splunk did not answer within 1s (--timeout)".
  const std::string& cause() const { return cause_; }

 private:
  std::string cause_;
};

class ObjectsApi {
 public:
  // request_timeout bounds each request, connect included; time makes the pauses between
  // retries and is the clock of their deadline.
  ObjectsApi(net::HttpClient& http, std::string base_url, std::string token,
             Duration request_timeout, TimeSource& time = system_time())
      : http_(http),
        base_url_(std::move(base_url)),
        token_(std::move(token)),
        request_timeout_(request_timeout),
        time_(time) {}

  // The object with this id, or nullopt when Splunk answers 404.
  std::optional<Json> find(ObjectType type, const std::string& id, const std::string& what);
  // Every object the search finds, all pages; query without limit and offset.
  std::vector<Json> search(ObjectType type,
                           const std::vector<std::pair<std::string, std::string>>& query,
                           const std::string& what);
  // The created object (with its id). query: "empty=true" or "". The writes throw
  // WriteOutcomeUnknown when they may have landed all the same.
  Json create(ObjectType type, const Json& body, const std::string& what,
              std::string_view query = "");
  // Replaces the object; returns it as stored.
  Json update(ObjectType type, const std::string& id, const Json& body, const std::string& what);
  void remove(ObjectType type, const std::string& id, const std::string& what);

  // The one-line cause of a failed answer, and the exit code it maps to.
  static std::pair<ExitCode, std::string> explain(const net::HttpResponse& answer,
                                                  Duration timeout);

 private:
  net::HttpResponse read(const std::string& path_and_query);
  net::HttpResponse write(const std::string& method, const std::string& path,
                          const std::string& body);
  net::HttpRequest request(std::string method, std::string url) const;
  Json answer_json(const net::HttpResponse& answer, const std::string& what) const;
  // answer_json for a write: throws WriteOutcomeUnknown when the outcome is unknown.
  Json write_answer_json(const net::HttpResponse& answer, const std::string& what) const;

  net::HttpClient& http_;
  std::string base_url_;
  std::string token_;
  Duration request_timeout_;
  TimeSource& time_;
};

}  // namespace cxtm::splunk
