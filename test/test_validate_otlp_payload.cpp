#include <doctest/doctest.h>

#include <regex>

#include "fixtures/otlp_json_rules.h"
#include "validate/otlp_payload.h"

namespace test_validate_otlp_payload {

using cxtm::Json;
using namespace cxtm::validate;
using cxtm::testing::otlp_trace_request_problems;

namespace {

TestTrace two_services() {
  return TestTrace::fresh({"cxtm-scheduler", "cxtm-notifications"}, "cxtm-poc", "cxtm-poc",
                          "0.1.0");
}

std::string attribute(const Json& attributes, const std::string& key) {
  for (const Json& a : attributes) {
    if (a["key"] == key) return a["value"].begin().value().dump();
  }
  return "";
}

}  // namespace

TEST_SUITE("validate/otlp_payload") {
  TEST_CASE("ids are lower-case hex of 16 and 8 bytes, fresh each time, never all zero") {
    const auto a = two_services();
    const auto b = two_services();
    const std::regex trace_id("^[0-9a-f]{32}$");
    const std::regex span_id("^[0-9a-f]{16}$");
    CHECK(std::regex_match(a.trace_id, trace_id));
    REQUIRE(a.span_ids.size() == 2);
    for (const auto& id : a.span_ids) CHECK(std::regex_match(id, span_id));
    CHECK(a.trace_id != b.trace_id);
    CHECK(a.span_ids[0] != a.span_ids[1]);
    CHECK(random_hex_id(1).size() == 2);
  }

  TEST_CASE("the request follows every OTLP JSON rule of the specification") {
    const Json request = export_trace_request(two_services());
    CHECK(otlp_trace_request_problems(request).empty());
    // Proto3's own JSON mapping would write ids in base64 and enums by name: the checker
    // refuses both, so it would catch the builder doing so.
    Json base64 = request;
    base64["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["traceId"] = "W47/95gDgQPSabYzgT/GDA==";
    base64["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["kind"] = "SPAN_KIND_INTERNAL";
    base64["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["startTimeUnixNano"] = "1700000000";
    base64["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["span_id"] = "x";
    const auto problems = otlp_trace_request_problems(base64);
    CHECK(problems.size() == 4);
  }

  TEST_CASE("one span per service, all the tool's own service's, each naming the service") {
    const auto trace = two_services();
    const Json request = export_trace_request(trace);
    REQUIRE(request["resourceSpans"].size() == 2);
    const Json& first = request["resourceSpans"][0];
    // APM must not count a test span as the service's: the service is named in an attribute.
    CHECK(attribute(first["resource"]["attributes"], "service.name") == "\"cxtm-o11y-validate\"");
    CHECK(attribute(first["resource"]["attributes"], "deployment.environment") == "\"cxtm-poc\"");
    CHECK(attribute(first["resource"]["attributes"], "k8s.cluster.name") == "\"cxtm-poc\"");
    const Json& span = first["scopeSpans"][0]["spans"][0];
    CHECK(span["traceId"] == trace.trace_id);
    CHECK(span["kind"] == 1);                      // SPAN_KIND_INTERNAL, as an integer
    CHECK(span["status"]["code"] == 1);            // STATUS_CODE_OK
    CHECK(span["startTimeUnixNano"].is_string());  // 64-bit: a decimal string
    CHECK(std::stoull(span["endTimeUnixNano"].get<std::string>()) >
          std::stoull(span["startTimeUnixNano"].get<std::string>()));
    CHECK(attribute(span["attributes"], std::string(kTestSpanAttribute)) == "true");
    CHECK(attribute(span["attributes"], std::string(kTestServiceAttribute)) ==
          "\"cxtm-scheduler\"");
    CHECK_FALSE(span.contains("parentSpanId"));
    const Json& child = request["resourceSpans"][1]["scopeSpans"][0]["spans"][0];
    CHECK(child["traceId"] == trace.trace_id);
    CHECK(child["parentSpanId"] == trace.span_ids[0]);
  }

  TEST_CASE("without services the span is the tool's own") {
    const auto trace = TestTrace::fresh({}, "e", "c", "v");
    CHECK(trace.services == std::vector<std::string>{std::string(kDefaultTestService)});
    CHECK(trace.span_count() == 1);
  }

  TEST_CASE("the answer: full success, partial success as string or number, garbage") {
    CHECK(parse_export_answer("")->rejected_spans == 0);
    CHECK(parse_export_answer("{}")->rejected_spans == 0);
    CHECK(parse_export_answer(R"({"partialSuccess":{}})")->rejected_spans == 0);
    const auto partial =
        parse_export_answer(R"({"partialSuccess":{"rejectedSpans":"2","errorMessage":"too old"}})");
    REQUIRE(partial);
    CHECK(partial->rejected_spans == 2);
    CHECK(partial->error_message == "too old");
    CHECK(parse_export_answer(R"({"partialSuccess":{"rejectedSpans":3}})")->rejected_spans == 3);
    const auto warning = parse_export_answer(R"({"partialSuccess":{"errorMessage":"slow down"}})");
    CHECK(warning->rejected_spans == 0);
    CHECK(warning->error_message == "slow down");
    CHECK_FALSE(parse_export_answer("<html>"));
    CHECK_FALSE(parse_export_answer(R"({"partialSuccess":{"rejectedSpans":"many"}})"));
    CHECK(status_message(R"({"code":3,"message":"bad"})") == "bad");
    CHECK(status_message("nope").empty());
  }
}

}  // namespace test_validate_otlp_payload
