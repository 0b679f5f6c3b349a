#pragma once
// The test span validate sends: an OTLP/HTTP JSON ExportTraceServiceRequest built by the OTLP
// specification's JSON encoding rules (trace and span ids as hex, not base64; enums as integers;
// 64-bit nanosecond timestamps as decimal strings; lowerCamelCase keys), and the reading of the
// collector's answer (partial success). Pure but for the random ids.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace cxtm::validate {

// The attribute that marks a span as validate's test span (a boolean true).
inline constexpr std::string_view kTestSpanAttribute = "cxtm_o11y.validate";
// The test spans' service.name, always: a test span is the tool's, never the validated
// service's, so that APM shows a service only for spans its own process sent.
inline constexpr std::string_view kDefaultTestService = "cxtm-o11y-validate";
// The attribute naming the service a test span stands for (a string).
inline constexpr std::string_view kTestServiceAttribute = "cxtm_o11y.validate.service";

// n random bytes as lower-case hex (2n characters), never all zero (an invalid id in OTLP).
std::string random_hex_id(size_t bytes);

struct TestTrace {
  std::string trace_id;               // 32 hex characters (16 bytes)
  std::vector<std::string> services;  // one span for each validated service; the first is the root
  std::vector<std::string> span_ids;  // 16 hex characters (8 bytes) each, as many as services
  std::string environment;            // deployment.environment
  std::string cluster;                // k8s.cluster.name
  std::uint64_t start_unix_nano = 0;
  std::uint64_t end_unix_nano = 0;
  std::string tool_version;  // the instrumentation scope's version

  // A fresh trace: random ids, one span per service (kDefaultTestService when none), starting
  // now and lasting a millisecond.
  static TestTrace fresh(std::vector<std::string> services, std::string environment,
                         std::string cluster, std::string tool_version);
  int span_count() const { return static_cast<int>(span_ids.size()); }
};

// The ExportTraceServiceRequest: one resourceSpans per validated service (service.name
// kDefaultTestService, deployment.environment, k8s.cluster.name), one INTERNAL span each, every
// span marked with kTestSpanAttribute and naming its service in kTestServiceAttribute.
Json export_trace_request(const TestTrace& trace);

// What an OTLP/HTTP server said in a 2xx body.
struct ExportAnswer {
  std::int64_t rejected_spans = 0;  // partialSuccess.rejectedSpans
  std::string error_message;        // partialSuccess.errorMessage (a warning when none rejected)
};

// Reads an ExportTraceServiceResponse in JSON (an empty body is a full success). rejectedSpans
// may be a decimal string or a number. nullopt when the body is not such a document.
std::optional<ExportAnswer> parse_export_answer(std::string_view body);

// The message of a google.rpc.Status body (the OTLP failure answer), or "" when there is none.
std::string status_message(std::string_view body);

}  // namespace cxtm::validate
