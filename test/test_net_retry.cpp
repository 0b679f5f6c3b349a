#include <doctest/doctest.h>

#include "net/retry.h"
#include "support/manual_time.h"
#include "support/scripted_http.h"

namespace test_net_retry {

using namespace cxtm::net;
using namespace std::chrono_literals;
using cxtm::Duration;
using cxtm::testing::answer;
using cxtm::testing::ManualTime;
using cxtm::testing::ScriptedHttp;

namespace {

HttpRequest post() {
  return {.method = "POST", .url = "http://127.0.0.1:1/v1/traces", .timeout = 10s};
}

}  // namespace

TEST_SUITE("net/retry") {
  TEST_CASE("Retry-After: delta-seconds, an HTTP date, nothing usable") {
    const auto now = std::chrono::system_clock::from_time_t(1445412480);  // 21 Oct 2015 07:28:00
    CHECK(parse_retry_after("3", now) == Duration(3000));
    CHECK(parse_retry_after(" 0 ", now) == Duration(0));
    CHECK(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now) == Duration(30000));
    CHECK(parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now) == Duration(0));  // past
    CHECK_FALSE(parse_retry_after("", now));
    CHECK_FALSE(parse_retry_after("-1", now));
    CHECK_FALSE(parse_retry_after("soon", now));
  }

  TEST_CASE("Retry-After out of any sane range is bounded, never an overflow (a fuzz finding)") {
    const auto now = std::chrono::system_clock::from_time_t(1445412480);
    // Year 15 overflowed the clock's nanoseconds: now it is simply in the past.
    CHECK(parse_retry_after("Wed, 21 Oct 0015 07:28:00 GMT", now) == Duration(0));
    const Duration ten_years = std::chrono::hours(24 * 365 * 10);
    CHECK(parse_retry_after("9223372036854775807", now) == ten_years);
    const auto far = parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now);
    REQUIRE(far);
    CHECK(*far > ten_years);
    CHECK(*far < std::chrono::hours(24 * 366 * 90));
  }

  TEST_CASE("backoff doubles from the initial wait up to the cap, Retry-After wins") {
    const RetryPolicy policy{.max_attempts = 6, .initial_backoff = 500ms, .max_backoff = 3s};
    CHECK(retry_delay(policy, 1, std::nullopt) == 500ms);
    CHECK(retry_delay(policy, 2, std::nullopt) == 1s);
    CHECK(retry_delay(policy, 3, std::nullopt) == 2s);
    CHECK(retry_delay(policy, 4, std::nullopt) == 3s);
    CHECK(retry_delay(policy, 2, Duration(7000)) == 7s);
  }

  TEST_CASE("only 429, 502, 503, 504 and no answer are retried") {
    for (int status : {429, 502, 503, 504}) CHECK(retryable(answer(status)));
    for (int status : {200, 400, 401, 404, 413, 500}) CHECK_FALSE(retryable(answer(status)));
    CHECK(retryable(HttpResponse{.error = "connection refused"}));
  }

  TEST_CASE("a read (safe to send again) is also retried after a 500") {
    CHECK(retryable_read(answer(500)));
    CHECK(retryable_read(answer(503)));
    CHECK_FALSE(retryable_read(answer(404)));
    ScriptedHttp http({answer(500), answer(200, "{}")});
    ManualTime time;
    const auto outcome = send_with_retries(http, post(), RetryPolicy{.retry_when = retryable_read},
                                           time.now() + 60s, time);
    CHECK(outcome.last.status == 200);
    CHECK(outcome.attempts == 2);
    CHECK(time.pauses() == std::vector<Duration>{500ms});
  }

  TEST_CASE("429 with Retry-After, then success: waits as told, notes each retry") {
    ScriptedHttp http({answer(429, "", {{"retry-after", "2"}}), answer(200, "{}")});
    ManualTime time;
    const auto outcome = send_with_retries(http, post(), RetryPolicy{}, time.now() + 60s, time);
    CHECK(outcome.last.status == 200);
    CHECK(outcome.attempts == 2);
    CHECK_FALSE(outcome.gave_up);
    CHECK(time.pauses() == std::vector<Duration>{2s});
    REQUIRE(outcome.notes.size() == 1);
    CHECK(outcome.notes[0] == "HTTP 429, Retry-After 2s: retried after 2s");
  }

  TEST_CASE("attempts are bounded") {
    ScriptedHttp http({answer(503)});
    ManualTime time;
    const auto outcome =
        send_with_retries(http, post(), RetryPolicy{.max_attempts = 3}, time.now() + 60s, time);
    CHECK(outcome.gave_up);
    CHECK(outcome.attempts == 3);
    CHECK(http.requests.size() == 3);
    CHECK(time.pauses() == std::vector<Duration>{500ms, 1s});
  }

  TEST_CASE("a Retry-After past the deadline is not waited for") {
    ScriptedHttp http({answer(429, "", {{"retry-after", "120"}})});
    ManualTime time;
    const auto outcome = send_with_retries(http, post(), RetryPolicy{}, time.now() + 5s, time);
    CHECK(outcome.gave_up);
    CHECK(outcome.attempts == 1);
    CHECK(time.pauses().empty());
    CHECK(outcome.notes.at(0).find("would pass the deadline") != std::string::npos);
  }

  TEST_CASE("a request that timed out is not sent again, each timeout is cut to the deadline") {
    ScriptedHttp http({HttpResponse{.error = "no answer within 2s", .timed_out = true}});
    ManualTime time;
    const auto outcome = send_with_retries(http, post(), RetryPolicy{}, time.now() + 2s, time);
    CHECK(outcome.gave_up);
    CHECK(outcome.attempts == 1);
    CHECK(http.requests.at(0).timeout == 2s);
  }

  TEST_CASE("the pauses count against the deadline on the injected clock") {
    ScriptedHttp http({answer(503)});
    ManualTime time;
    const auto outcome =
        send_with_retries(http, post(), RetryPolicy{.max_attempts = 10}, time.now() + 3s, time);
    // 0.5 s and 1 s are waited; the next 2 s would end at 3.5 s, past the deadline.
    CHECK(time.pauses() == std::vector<Duration>{500ms, 1s});
    CHECK(outcome.attempts == 3);
    CHECK(outcome.gave_up);
    CHECK(outcome.notes.back().find("would pass the deadline") != std::string::npos);
  }

  TEST_CASE("a permanent refusal is answered at once") {
    ScriptedHttp http({answer(400, R"({"message":"bad"})")});
    ManualTime time;
    const auto outcome = send_with_retries(http, post(), RetryPolicy{}, time.now() + 60s, time);
    CHECK(outcome.last.status == 400);
    CHECK(outcome.attempts == 1);
    CHECK_FALSE(outcome.gave_up);
  }
}

}  // namespace test_net_retry
