// The start-up reports of the tool's sitecustomize read back from an app's log, and what check 5
// concludes from them. The lines' form is the real sitecustomize's
// (test_validate_startup_evidence.cpp runs it).
#include <doctest/doctest.h>

#include "support/text.h"
#include "validate/startup_report.h"

namespace test_validate_startup_report {

using cxtm::testing::contains;
using namespace cxtm::validate;

namespace {

constexpr const char* kEndpoint = "http://otel-collector.default.svc:4318";

std::string started(const std::string& fields) {
  return "cxtm-o11y: tracing started pid=1 python=3.12.4 sdk=1.41.1 " + fields + "\n";
}

const std::string kTraced =
    started("exporter=otlp protocol=http/protobuf endpoint=" + std::string(kEndpoint) +
            " instrumented=flask,logging");

}  // namespace

TEST_SUITE("validate/startup_report") {
  TEST_CASE("a started report's fields among the app's own lines") {
    const auto reports = read_startup_reports("[INFO] booting\n" + kTraced + "[INFO] ready\n");
    REQUIRE(reports.size() == 1);
    const auto& report = reports[0];
    CHECK(report.started);
    CHECK(report.pid == "1");
    CHECK(report.role.empty());
    CHECK(report.python == "3.12.4");
    CHECK(report.sdk == "1.41.1");
    CHECK(report.exporter == "otlp");
    CHECK(report.protocol == "http/protobuf");
    CHECK(report.endpoint == kEndpoint);
    CHECK(report.instrumented == std::vector<std::string>{"flask", "logging"});
    CHECK(report.reason.empty());
  }

  TEST_CASE("a not-started report keeps its whole reason and prefixes and CRLF are tolerated") {
    const auto reports = read_startup_reports(
        "2025-01-01T10:00:00.000000001Z cxtm-o11y: tracing not started pid=7 role=reloader-child "
        "python=3.12.4 because: ModuleNotFoundError: No module named 'wrapt'\r\n"
        "cxtm-o11y: tracing started pid=8 role=spawned-worker python=3.12.4 sdk=1.41.1 "
        "exporter=otlp protocol=grpc endpoint=default instrumented=none\n");
    REQUIRE(reports.size() == 2);
    CHECK_FALSE(reports[0].started);
    CHECK(reports[0].pid == "7");
    CHECK(reports[0].role == "reloader-child");
    CHECK(reports[0].reason == "ModuleNotFoundError: No module named 'wrapt'");
    CHECK(reports[1].role == "spawned-worker");
    CHECK(reports[1].instrumented.empty());
  }

  TEST_CASE("a traced process passes with nothing to say") {
    CHECK(judge_startup(read_startup_reports(kTraced), kEndpoint, {}).empty());
  }

  TEST_CASE("no report fails and the remedy names the pod spec's cause when there is one") {
    const auto plain = judge_startup({}, kEndpoint, {});
    REQUIRE(plain.size() == 1);
    CHECK(plain[0].fails);
    CHECK(contains(plain[0].detail, "never ran the instrumentation's start-up hook"));
    CHECK(contains(plain[0].remedy, "no python -I, -E or -S"));
    CHECK(contains(plain[0].remedy, "rotated"));
    const auto isolated =
        judge_startup({}, kEndpoint, {"container app: python -I ignores PYTHONPATH"});
    REQUIRE(isolated.size() == 1);
    CHECK(contains(isolated[0].detail, "as how the app starts makes certain"));
    CHECK(contains(isolated[0].remedy, "container app: python -I ignores PYTHONPATH"));
  }

  TEST_CASE("a process that did not start fails with its reason and a remedy for it") {
    const auto why = [](const std::string& reason) {
      const auto findings = judge_startup(
          read_startup_reports(
              "cxtm-o11y: tracing not started pid=1 python=3.12.4 because: " + reason + "\n"),
          kEndpoint, {});
      REQUIRE(findings.size() == 1);
      CHECK(findings[0].fails);
      CHECK(contains(findings[0].detail, "tracing did not start in pid 1: " + reason));
      return findings[0].remedy;
    };
    CHECK(contains(why("ImportError: cannot import name 'x'"), "run cxtm-o11y instrument again"));
    CHECK(contains(why("OTEL_SDK_DISABLED=true"), "remove it"));
    CHECK(contains(why("OpenTelemetry set no SDK tracer provider (its own error is above)"),
                   "its error is in the app's log above"));
  }

  TEST_CASE("spans sent elsewhere or nowhere fail and no library instrumented warns") {
    const auto judged = [](const std::string& fields) {
      return judge_startup(read_startup_reports(started(fields)), kEndpoint, {});
    };
    const auto none =
        judged("exporter=none protocol=http/protobuf endpoint=" + std::string(kEndpoint) +
               " instrumented=flask");
    REQUIRE(none.size() == 1);
    CHECK(none[0].fails);
    CHECK(contains(none[0].detail, "exporter \"none\", not OTLP"));
    const auto elsewhere =
        judged("exporter=otlp protocol=grpc endpoint=http://localhost:4317 instrumented=flask");
    REQUIRE(elsewhere.size() == 1);
    CHECK(elsewhere[0].fails);
    CHECK(
        contains(elsewhere[0].detail, "exports to http://localhost:4317, not to the collector's"));
    const auto bare =
        judged("exporter=otlp,console protocol=http/protobuf endpoint=" + std::string(kEndpoint) +
               " instrumented=none");
    REQUIRE(bare.size() == 1);
    CHECK_FALSE(bare[0].fails);
    CHECK(contains(bare[0].detail, "instrumented no library"));
  }

  TEST_CASE("the same finding of several processes is said once") {
    const std::string line =
        "cxtm-o11y: tracing not started pid=1 python=3.12.4 because: OTEL_SDK_DISABLED=true\n";
    CHECK(judge_startup(read_startup_reports(line + line), kEndpoint, {}).size() == 1);
  }
}

}  // namespace test_validate_startup_report
