#include "validate/otlp_payload.h"

#include <fmt/core.h>

#include <chrono>
#include <random>

#include "core/text.h"

namespace cxtm::validate {
namespace {

// OTLP's enum values, written as integers as the JSON encoding requires.
constexpr int kSpanKindInternal = 1;
constexpr int kStatusCodeOk = 1;

Json string_attribute(std::string_view key, std::string_view value) {
  return {{"key", key}, {"value", {{"stringValue", value}}}};
}

Json bool_attribute(std::string_view key, bool value) {
  return {{"key", key}, {"value", {{"boolValue", value}}}};
}

std::uint64_t now_unix_nano() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

}  // namespace

std::string random_hex_id(size_t bytes) {
  static thread_local std::mt19937_64 generator{std::random_device{}()};
  std::uniform_int_distribution<int> byte(0, 255);
  std::string hex;
  bool all_zero = true;
  do {
    hex.clear();
    all_zero = true;
    for (size_t i = 0; i < bytes; ++i) {
      const int value = byte(generator);
      all_zero = all_zero && value == 0;
      hex += fmt::format("{:02x}", value);
    }
  } while (all_zero);
  return hex;
}

TestTrace TestTrace::fresh(std::vector<std::string> services, std::string environment,
                           std::string cluster, std::string tool_version) {
  if (services.empty()) services.emplace_back(kDefaultTestService);
  TestTrace trace{.trace_id = random_hex_id(16),
                  .services = std::move(services),
                  .environment = std::move(environment),
                  .cluster = std::move(cluster),
                  .tool_version = std::move(tool_version)};
  for (size_t i = 0; i < trace.services.size(); ++i) trace.span_ids.push_back(random_hex_id(8));
  trace.start_unix_nano = now_unix_nano();
  trace.end_unix_nano = trace.start_unix_nano + 1'000'000;
  return trace;
}

Json export_trace_request(const TestTrace& trace) {
  Json resource_spans = Json::array();
  for (size_t i = 0; i < trace.services.size() && i < trace.span_ids.size(); ++i) {
    Json span = {{"traceId", trace.trace_id}, {"spanId", trace.span_ids[i]}};
    if (i > 0) span["parentSpanId"] = trace.span_ids[0];
    span["name"] = "cxtm-o11y validate";
    const std::string& validated = trace.services[i];
    span["kind"] = kSpanKindInternal;
    // 64-bit integers are decimal strings in OTLP JSON.
    span["startTimeUnixNano"] = std::to_string(trace.start_unix_nano);
    span["endTimeUnixNano"] = std::to_string(trace.end_unix_nano);
    span["attributes"] = Json::array({bool_attribute(kTestSpanAttribute, true),
                                      string_attribute(kTestServiceAttribute, validated)});
    span["status"] = {{"code", kStatusCodeOk}};
    resource_spans.push_back(
        {{"resource",
          {{"attributes",
            Json::array({string_attribute("service.name", kDefaultTestService),
                         string_attribute("deployment.environment", trace.environment),
                         string_attribute("k8s.cluster.name", trace.cluster)})}}},
         {"scopeSpans",
          Json::array({{{"scope", {{"name", "cxtm-o11y"}, {"version", trace.tool_version}}},
                        {"spans", Json::array({span})}}})}});
  }
  return Json{{"resourceSpans", resource_spans}};
}

std::optional<ExportAnswer> parse_export_answer(std::string_view body) {
  if (trim(body).empty()) return ExportAnswer{};
  const Json document = Json::parse(body, nullptr, false);
  if (document.is_discarded() || !document.is_object()) return std::nullopt;
  ExportAnswer answer;
  const auto partial = document.find("partialSuccess");
  if (partial == document.end() || partial->is_null()) return answer;
  if (!partial->is_object()) return std::nullopt;
  if (const auto rejected = partial->find("rejectedSpans"); rejected != partial->end()) {
    if (rejected->is_number_integer()) {
      answer.rejected_spans = rejected->get<std::int64_t>();
    } else if (rejected->is_string()) {
      try {
        answer.rejected_spans = std::stoll(rejected->get<std::string>());
      } catch (const std::exception&) {
        return std::nullopt;
      }
    } else {
      return std::nullopt;
    }
  }
  if (const auto message = partial->find("errorMessage");
      message != partial->end() && message->is_string()) {
    answer.error_message = message->get<std::string>();
  }
  return answer;
}

std::string status_message(std::string_view body) {
  const Json document = Json::parse(body, nullptr, false);
  if (document.is_discarded() || !document.is_object()) return "";
  const auto message = document.find("message");
  return message != document.end() && message->is_string() ? message->get<std::string>() : "";
}

}  // namespace cxtm::validate
