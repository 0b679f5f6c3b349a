#include <doctest/doctest.h>

#include "validate/prometheus_text.h"

namespace test_validate_prometheus_text {

using namespace cxtm::validate;

namespace {

// What a collector since v0.120 serves through a configured Prometheus reader.
constexpr const char* kCurrent =
    R"(# HELP otelcol_exporter_send_failed_spans_total Number of spans in failed attempts to send to destination. [alpha]
# TYPE otelcol_exporter_send_failed_spans_total counter
otelcol_exporter_send_failed_spans_total{exporter="otlphttp",otel_scope_name="go.opentelemetry.io/collector/exporter/exporterhelper",otel_scope_version=""} 0
# HELP otelcol_exporter_sent_spans_total Number of spans successfully sent to destination. [alpha]
# TYPE otelcol_exporter_sent_spans_total counter
otelcol_exporter_sent_spans_total{exporter="otlphttp",otel_scope_name="go.opentelemetry.io/collector/exporter/exporterhelper",otel_scope_version=""} 41
otelcol_exporter_sent_spans_total{exporter="signalfx",otel_scope_name="x",otel_scope_version=""} 41
# HELP otelcol_receiver_accepted_spans_total Number of spans successfully pushed into the pipeline. [alpha]
# TYPE otelcol_receiver_accepted_spans_total counter
otelcol_receiver_accepted_spans_total{receiver="otlp",transport="http"} 30
otelcol_receiver_accepted_spans_total{receiver="otlp",transport="grpc"} 11
otelcol_process_uptime_seconds_total 3600.25
)";

}  // namespace

TEST_SUITE("validate/prometheus_text") {
  TEST_CASE("samples: names, labels, values, comments and bad lines skipped") {
    const auto samples = parse_prometheus_text(
        "# HELP x y\nx 1\ny{a=\"1\",b=\"two words\"} 2.5 1700000000000\n\nnot a sample\n"
        "z{path=\"C:\\\\dir\",q=\"say \\\"hi\\\"\",n=\"a\\nb\"} +Inf\n");
    REQUIRE(samples.size() == 3);
    CHECK(samples[0].name == "x");
    CHECK(samples[0].value == 1);
    CHECK(samples[1].labels.at("b") == "two words");
    CHECK(samples[1].value == 2.5);
    CHECK(samples[2].labels.at("path") == "C:\\dir");
    CHECK(samples[2].labels.at("q") == "say \"hi\"");
    CHECK(samples[2].labels.at("n") == "a\nb");
  }

  TEST_CASE("span counters with the _total suffix, over every receiver, for chosen exporters") {
    const auto counters = span_counters(parse_prometheus_text(kCurrent), {"otlphttp"});
    CHECK(counters.found);
    CHECK(counters.accepted == 41);
    CHECK(counters.sent == 41);  // signalfx's own count is not added
    CHECK(counters.failed == 0);
    CHECK(span_counters(parse_prometheus_text(kCurrent), {}).sent == 82);
  }

  TEST_CASE("span counters without the suffix (collectors before v0.120)") {
    const auto counters = span_counters(
        parse_prometheus_text("otelcol_receiver_accepted_spans{receiver=\"otlp\"} 5\n"
                              "otelcol_exporter_sent_spans{exporter=\"otlphttp\"} 4\n"
                              "otelcol_exporter_send_failed_spans{exporter=\"otlphttp\"} 1\n"
                              "otelcol_exporter_sent_spans_totally{exporter=\"otlphttp\"} 99\n"),
        {"otlphttp"});
    CHECK(counters.accepted == 5);
    CHECK(counters.sent == 4);
    CHECK(counters.failed == 1);
  }

  TEST_CASE("a collector that has seen no span yet has no counters") {
    const auto counters = span_counters(parse_prometheus_text("otelcol_process_uptime 3\n"), {});
    CHECK_FALSE(counters.found);
    CHECK(counters.accepted == 0);
  }
}

}  // namespace test_validate_prometheus_text
