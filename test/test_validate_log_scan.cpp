#include <doctest/doctest.h>

#include "validate/log_scan.h"

namespace test_validate_log_scan {

using namespace cxtm::validate;

TEST_SUITE("validate/log_scan") {
  TEST_CASE("auth refusals and dropped data are found, timestamps with 401 are not") {
    const auto lines = scan_collector_log(
        "2025-01-01T10:00:00.401Z\tinfo\tservice@v0.147.0/service.go:199\tEverything is ready.\n"
        "2025-01-01T10:00:01.000Z\terror\texporterhelper/queue_sender.go:101\tExporting failed. "
        "Dropping data.\t{\"kind\": \"exporter\", \"name\": \"otlphttp\", \"error\": \"not "
        "retryable error: Permanent error: error exporting items, request to "
        "https://ingest.us1.signalfx.com/v2/trace/otlp responded with HTTP Status Code 401, "
        "Message=Unauthorized\", \"dropped_items\": 1}\n"
        "2025-01-01T10:00:02.000Z\twarn\tbatchprocessor\tdropped 3 spans\n"
        "2025-01-01T10:00:03.000Z\terror\tsignalfx\tHTTP 403 \"Forbidden\"\n"
        "2025-01-01T10:00:04.000Z\tinfo\tprocessed 401 items in 403ms\n");
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].problem == LogProblem::auth);
    CHECK(lines[0].line.find("Status Code 401") != std::string::npos);
    CHECK(lines[1].problem == LogProblem::dropped);
    CHECK(lines[2].problem == LogProblem::auth);
  }

  TEST_CASE("a quiet log has nothing to report") {
    CHECK(scan_collector_log("").empty());
    CHECK(scan_collector_log("info\tEverything is ready. Begin running and processing data.\n")
              .empty());
  }
}

}  // namespace test_validate_log_scan
