#include <doctest/doctest.h>

#include "core/redact.h"
#include "support/manual_time.h"
#include "validate/report.h"

namespace test_validate_report {

using namespace cxtm::validate;
using cxtm::Error;
using cxtm::ExitCode;

namespace {

CheckResult header(std::string id, int number) {
  return CheckResult{.id = std::move(id), .number = number, .title = "T"};
}

}  // namespace

TEST_SUITE("validate/report") {
  TEST_CASE("a check that depends on a failed or skipped one is skipped, not run") {
    Report report;
    CheckRunner runner(report);
    runner.run(header("access", 1), {}, [](CheckResult& r) {
      r.status = Status::fail;
      r.summary = "denied";
    });
    bool ran = false;
    runner.run(header("collector", 2), {"access"}, [&](CheckResult&) { ran = true; });
    runner.run(header("health", 3), {"collector"}, [&](CheckResult&) { ran = true; });
    runner.run(header("service", 5), {}, [](CheckResult& r) { r.summary = "fine"; });
    CHECK_FALSE(ran);
    REQUIRE(report.checks.size() == 4);
    CHECK(report.checks[1].status == Status::skip);
    CHECK(report.checks[1].summary == "skipped: check 1 (access) failed");
    CHECK(report.checks[2].summary == "skipped: check 2 (collector) was skipped");
    CHECK(report.checks[3].status == Status::pass);
    CHECK_FALSE(report.passed());
    CHECK(report.exit_code() == ExitCode::failed);
  }

  TEST_CASE("warnings and skips do not fail the run, an Error fails its check with a remedy") {
    Report report;
    CheckRunner runner(report);
    runner.run(header("access", 1), {}, [](CheckResult& r) { r.status = Status::warn; });
    runner.skip(header("splunk", 7), "not requested");
    CHECK(report.passed());
    runner.run(header("collector", 2), {"access"}, [](CheckResult&) {
      throw Error(ExitCode::kubectl, "kubectl get: Unable to connect to the server");
    });
    CHECK(report.checks.back().status == Status::fail);
    CHECK(report.checks.back().summary == "kubectl get: Unable to connect to the server");
    CHECK_FALSE(report.checks.back().remedy.empty());
    CHECK_THROWS_AS(runner.run(header("x", 4), {},
                               [](CheckResult&) { throw Error(ExitCode::interrupted, "^C"); }),
                    Error);
  }

  TEST_CASE("a check's duration is read from the run's clock") {
    Report report;
    cxtm::testing::ManualTime time;
    CheckRunner runner(report, time);
    runner.run(header("exporter", 6), {},
               [&](CheckResult&) { time.sleep_for(std::chrono::seconds(3)); });
    runner.run(header("splunk", 7), {}, [](CheckResult&) {});
    REQUIRE(report.checks.size() == 2);
    CHECK(report.checks[0].duration == std::chrono::seconds(3));
    CHECK(report.checks[1].duration == cxtm::Duration::zero());
  }

  TEST_CASE("secrets never leave through a result") {
    const std::string token = "fakeSecretToken-1234567890";
    cxtm::register_secret(token);
    Report report;
    CheckRunner runner(report);
    runner.run(header("exporter", 6), {}, [&](CheckResult& r) {
      r.summary = "token " + token;
      r.details.push_back("X-SF-Token: " + token);
      r.data["echo"] = token;
    });
    CHECK(report.to_json().dump().find(token) == std::string::npos);
  }

  TEST_CASE("the JSON schema") {
    Report report{.cluster = "c", .collector = "default/otel-collector", .services = {"a"}};
    CheckRunner runner(report);
    runner.run(CheckResult{.id = "service", .number = 5, .title = "Service a", .service = "a"}, {},
               [](CheckResult& r) { r.summary = "ok"; });
    report.trace_id = "0123456789abcdef0123456789abcdef";
    const auto json = report.to_json();
    std::vector<std::string> keys;
    for (const auto& [key, value] : json.items()) keys.push_back(key);
    CHECK(keys == std::vector<std::string>{"verdict", "exitCode", "cluster", "collector",
                                           "services", "traceId", "durationMs", "counts",
                                           "checks"});
    CHECK(json["verdict"] == "pass");
    CHECK(json["counts"]["pass"] == 1);
    const auto& check = json["checks"][0];
    keys.clear();
    for (const auto& [key, value] : check.items()) keys.push_back(key);
    CHECK(keys == std::vector<std::string>{"number", "id", "title", "service", "status",
                                           "durationMs", "summary", "details", "remedy", "data"});
    CHECK(check["service"] == "a");
    CHECK(check["remedy"].is_null());
  }
}

}  // namespace test_validate_report
