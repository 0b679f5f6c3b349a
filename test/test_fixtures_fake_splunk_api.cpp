// The Splunk API double under the shared fault language (fixtures/http_double.h), as a plain
// HTTP client meets it: a create that commits and then loses its answer (500, a dropped
// connection, a hang past the client's timeout), and transient 429/500/503 on reads with and
// without Retry-After.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "core/json.h"
#include "fixtures/fake_splunk_api.h"
#include "net/http_client.h"

namespace test_fixtures_fake_splunk_api {

using cxtm::Json;
using cxtm::net::CurlHttpClient;
using cxtm::net::HttpRequest;
using cxtm::net::HttpResponse;
using cxtm::testing::FakeSplunkApi;
using cxtm::testing::FaultAnswer;
using cxtm::testing::FaultTiming;
using namespace std::chrono_literals;

namespace {

constexpr const char* kToken = "fake-splunk-fixture-token-42";

HttpResponse send(const FakeSplunkApi& splunk, const std::string& method, const std::string& path,
                  const std::string& body = "") {
  CurlHttpClient http;
  return http.send(
      HttpRequest{.method = method,
                  .url = splunk.url() + path,
                  .headers = {{"X-SF-Token", kToken}, {"Content-Type", "application/json"}},
                  .body = body,
                  .timeout = 1s});
}

std::string chart(const std::string& name) {
  return Json{{"name", name}, {"programText", "data('x').publish('A')"}}.dump();
}

size_t charts_held(const FakeSplunkApi& splunk) {
  return splunk.objects().value("chart", Json::object()).size();
}

}  // namespace

TEST_SUITE("fixtures/fake_splunk_api") {
  TEST_CASE("a create that commits and then answers 500: the client sees 500, the object exists") {
    FakeSplunkApi splunk(kToken);
    splunk.inject({.method = "POST",
                   .path_regex = "^/v2/chart$",
                   .status = 500,
                   .timing = FaultTiming::after});
    const auto answer = send(splunk, "POST", "/v2/chart", chart("a"));
    CHECK(answer.status == 500);
    CHECK(Json::parse(answer.body)["message"] == "injected HTTP 500");
    CHECK(charts_held(splunk) == 1);
  }

  TEST_CASE("a create that commits and then drops the connection: no answer, the object exists") {
    FakeSplunkApi splunk(kToken);
    splunk.inject({.method = "POST",
                   .path_regex = "^/v2/chart$",
                   .answer = FaultAnswer::drop,
                   .timing = FaultTiming::after});
    const auto answer = send(splunk, "POST", "/v2/chart", chart("a"));
    CHECK_FALSE(answer.answered());
    CHECK_FALSE(answer.timed_out);
    CHECK(charts_held(splunk) == 1);
  }

  TEST_CASE("a create that commits and then hangs: the client times out, the object exists") {
    FakeSplunkApi splunk(kToken);
    splunk.inject({.method = "POST",
                   .path_regex = "^/v2/chart$",
                   .answer = FaultAnswer::hang,
                   .timing = FaultTiming::after});
    const auto answer = send(splunk, "POST", "/v2/chart", chart("a"));
    CHECK(answer.timed_out);
    CHECK(charts_held(splunk) == 1);
  }

  TEST_CASE("an update that commits and then answers 503: the object holds the new fields") {
    FakeSplunkApi splunk(kToken);
    const std::string id = splunk.put_object("chart", Json::parse(chart("a")))["id"];
    splunk.inject({.method = "PUT",
                   .path_regex = "^/v2/chart/",
                   .status = 503,
                   .timing = FaultTiming::after});
    const auto answer = send(splunk, "PUT", "/v2/chart/" + id, chart("b"));
    CHECK(answer.status == 503);
    CHECK(splunk.objects()["chart"][id]["name"] == "b");
  }

  TEST_CASE("a create refused instead (500): nothing is created") {
    FakeSplunkApi splunk(kToken);
    splunk.inject({.method = "POST", .path_regex = "^/v2/chart$", .status = 500});
    CHECK(send(splunk, "POST", "/v2/chart", chart("a")).status == 500);
    CHECK(charts_held(splunk) == 0);
  }

  TEST_CASE("transient 429, 500 and 503 on a read, with and without Retry-After, then the answer") {
    FakeSplunkApi splunk(kToken);
    splunk.put_object("chart", Json::parse(chart("a")));
    splunk.inject(
        {.method = "GET", .path_regex = "^/v2/chart\\?", .status = 429, .retry_after = 2});
    splunk.inject({.method = "GET", .path_regex = "^/v2/chart\\?", .status = 500});
    splunk.inject(
        {.method = "GET", .path_regex = "^/v2/chart\\?", .status = 503, .retry_after = 1});
    splunk.inject({.method = "GET", .path_regex = "^/v2/chart\\?", .status = 503});
    const std::string search = "/v2/chart?name=a";
    const auto throttled = send(splunk, "GET", search);
    CHECK(throttled.status == 429);
    CHECK(throttled.header("Retry-After") == "2");
    const auto failed = send(splunk, "GET", search);
    CHECK(failed.status == 500);
    CHECK(failed.header("Retry-After").empty());
    const auto unavailable = send(splunk, "GET", search);
    CHECK(unavailable.status == 503);
    CHECK(unavailable.header("Retry-After") == "1");
    const auto again = send(splunk, "GET", search);
    CHECK(again.status == 503);
    CHECK(again.header("Retry-After").empty());
    const auto answered = send(splunk, "GET", search);
    REQUIRE(answered.status == 200);
    CHECK(Json::parse(answered.body)["count"] == 1);
  }
}

}  // namespace test_fixtures_fake_splunk_api
