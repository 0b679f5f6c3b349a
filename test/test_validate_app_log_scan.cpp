// The app log lines that show the instrumentation failed (validate/app_log_scan.h).

#include <doctest/doctest.h>

#include "validate/app_log_scan.h"

namespace test_validate_app_log_scan {

using cxtm::validate::scan_app_log;

TEST_SUITE("validate/app_log_scan") {
  TEST_CASE("each failure of the start-up hook, OpenTelemetry and the exporter is found once") {
    const auto findings = scan_app_log(
        "[2026-12-04 10:00:00 +0000] [1] [INFO] Starting gunicorn 23.0.0\n"
        "Error in sitecustomize; set PYTHONVERBOSE for traceback:\n"
        "ModuleNotFoundError: No module named 'wrapt'\n"
        "Failed to auto initialize OpenTelemetry\n"
        "Instrumenting of flask failed\n"
        "Instrumenting of redis failed\n"
        "opentelemetry.instrumentation.dependencies.DependencyConflict: requested: \"flask >= "
        "1.0, < 3.0\" but found: \"flask 3.0.3\"\n"
        "Failed to export span batch code: 503, reason: unavailable\n"
        "Transient error HTTPConnectionPool encountered while exporting span batch, retrying\n");
    REQUIRE(findings.size() == 6);
    CHECK(findings[0].line == "Error in sitecustomize; set PYTHONVERBOSE for traceback:");
    CHECK(findings[0].remedy.find("PYTHONVERBOSE=1") != std::string::npos);
    CHECK(findings[1].line == "Failed to auto initialize OpenTelemetry");
    CHECK(findings[2].line == "Instrumenting of flask failed");
    CHECK(findings[2].count == 2);
    CHECK(findings[2].remedy.find("instrumentation.exclude") != std::string::npos);
    CHECK(
        findings[3].line.starts_with("opentelemetry.instrumentation.dependencies."
                                     "DependencyConflict"));
    CHECK(findings[4].line == "Failed to export span batch code: 503, reason: unavailable");
    CHECK(findings[5].remedy == findings[4].remedy);
  }

  TEST_CASE("an instrumented app's ordinary log has nothing to say") {
    CHECK(scan_app_log("").empty());
    CHECK(scan_app_log("[INFO] Booting worker with pid: 8\n"
                       "GET /api/jobs 200\n"
                       "Instrumenting of the week: nothing\n"  // no "failed" after it
                       "export finished\n")
              .empty());
  }
}

}  // namespace test_validate_app_log_scan
