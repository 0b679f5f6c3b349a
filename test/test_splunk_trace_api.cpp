#include <doctest/doctest.h>

#include "fixtures/fake_splunk_api.h"
#include "net/http_client.h"
#include "splunk/trace_api.h"
#include "support/manual_time.h"

namespace test_splunk_trace_api {

using namespace cxtm::splunk;
using namespace cxtm::net;
using cxtm::Clock;
using namespace std::chrono_literals;
using cxtm::testing::FakeSplunkApi;
using cxtm::testing::ManualTime;

namespace {

constexpr const char* kToken = "fake-api-token-0123456789";
constexpr const char* kTrace = "5b8efff798038103d269b633813fc60c";

PollOptions quick() {
  return {.initial_interval = 10ms, .max_interval = 50ms};
}

}  // namespace

TEST_SUITE("splunk/trace_api") {
  TEST_CASE("a trace is 404 until ingested, then found with its services") {
    FakeSplunkApi splunk(kToken);
    splunk.ingest(kTrace, {"cxtm-scheduler", "cxtm-notifications"}, 2);
    CurlHttpClient http;
    TraceApi api(http, splunk.url(), kToken);
    CHECK(api.lookup_trace(kTrace, 5s).state == LookupState::not_yet);
    const auto lookup = api.wait_for_trace(kTrace, Clock::now() + 10s, quick());
    CHECK(lookup.state == LookupState::found);
    CHECK(lookup.services == std::vector<std::string>{"cxtm-scheduler", "cxtm-notifications"});
    CHECK(splunk.requests().front() == std::string("GET /v2/apm/trace/") + kTrace + "/segments");
  }

  TEST_CASE("a trace that never arrives is not_yet at the deadline") {
    FakeSplunkApi splunk(kToken);
    CurlHttpClient http;
    TraceApi api(http, splunk.url(), kToken);
    const auto lookup = api.wait_for_trace(kTrace, Clock::now() + 300ms, quick());
    CHECK(lookup.state == LookupState::not_yet);
    CHECK(lookup.polls >= 2);
  }

  TEST_CASE("401 and 403 say which token is wrong, at once") {
    FakeSplunkApi splunk(kToken);
    CurlHttpClient http;
    TraceApi wrong(http, splunk.url(), "the-ingest-token-by-mistake");
    const auto refused = wrong.wait_for_trace(kTrace, Clock::now() + 10s, quick());
    CHECK(refused.state == LookupState::refused);
    CHECK(refused.status == 401);
    CHECK(refused.polls == 1);
    CHECK(refused.message.find("SPLUNK_API_TOKEN") != std::string::npos);
    CHECK(refused.message.find("not the ingest token") != std::string::npos);
    splunk.forbid();
    TraceApi right(http, splunk.url(), kToken);
    const auto forbidden = right.lookup_trace(kTrace, 5s);
    CHECK(forbidden.state == LookupState::refused);
    CHECK(forbidden.message.find("403") != std::string::npos);
  }

  TEST_CASE("429 waits for Retry-After, then goes on") {
    FakeSplunkApi splunk(kToken);
    splunk.ingest(kTrace, {"cxtm-scheduler"}, 0);
    splunk.throttle(1, 1);
    CurlHttpClient http;
    ManualTime time;
    TraceApi api(http, splunk.url(), kToken, time);
    const auto lookup = api.wait_for_trace(kTrace, time.now() + 10s, quick());
    CHECK(lookup.state == LookupState::found);
    CHECK(time.pauses() == std::vector<cxtm::Duration>{1s});
  }

  TEST_CASE("active services: non-inferred topology nodes for a time range in milliseconds") {
    FakeSplunkApi splunk(kToken);
    const auto to = std::chrono::system_clock::from_time_t(1700000900);
    splunk.report_services({"cxtm-scheduler"}, 0, to - 1min);
    splunk.report_services({"cxtm-notifications"}, 0, to - 20min);  // before the range
    CurlHttpClient http;
    TraceApi api(http, splunk.url(), kToken);
    const auto active = api.active_services(to - 15min, to, "cxtm-poc", Clock::now() + 10s);
    REQUIRE(active.ok);
    CHECK(active.services == std::set<std::string>{"cxtm-scheduler"});
    CHECK(splunk.last_time_range() == "1700000000000/1700000900000");
  }

  TEST_CASE("waiting for services: looks again until each has spans, or until the deadline") {
    FakeSplunkApi splunk(kToken);
    splunk.report_services({"cxtm-scheduler"}, 2);  // APM shows them on the third look
    CurlHttpClient http;
    ManualTime time;
    TraceApi api(http, splunk.url(), kToken, time);
    const auto from = std::chrono::system_clock::now() - 15min;
    const auto found =
        api.wait_for_services({"cxtm-scheduler"}, from, "", time.now() + 10s, quick());
    REQUIRE(found.ok);
    CHECK(found.services.contains("cxtm-scheduler"));
    CHECK(found.polls == 3);
    CHECK(time.pauses() == std::vector<cxtm::Duration>{10ms, 20ms});
    // A service that never sends: the looks end at the deadline, without it, on the API's
    // clock: looks at 0, 10, 30, 70 ms, then every 50 ms until 970 ms (the next would pass 1 s).
    const auto before = time.now();
    const auto quiet =
        api.wait_for_services({"cxtm-notifications"}, from, "", time.now() + 1s, quick());
    CHECK(quiet.ok);
    CHECK_FALSE(quiet.services.contains("cxtm-notifications"));
    CHECK(quiet.polls == 22);
    CHECK(time.now() - before <= 1s);
  }
}

}  // namespace test_splunk_trace_api
