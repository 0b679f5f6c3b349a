#pragma once
// The collector's own metrics as its Prometheus endpoint (8888) serves them, and the three
// span counters validate watches. Pure.
//
// Collectors before v0.120 name the counters otelcol_receiver_accepted_spans,
// otelcol_exporter_sent_spans and otelcol_exporter_send_failed_spans; since v0.120 a Prometheus
// reader configured under service.telemetry.metrics.readers (as ours is) appends `_total`
// unless without_type_suffix is set. Both spellings are read.

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cxtm::validate {

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// Parses the text exposition format: comments and blank lines skipped, label values unescaped
// (\\, \", \n), an optional timestamp after the value ignored. Lines that do not parse are
// skipped.
std::vector<Sample> parse_prometheus_text(std::string_view text);

inline constexpr std::string_view kAcceptedSpans = "otelcol_receiver_accepted_spans";
inline constexpr std::string_view kSentSpans = "otelcol_exporter_sent_spans";
inline constexpr std::string_view kSendFailedSpans = "otelcol_exporter_send_failed_spans";

struct SpanCounters {
  double accepted = 0;  // summed over every receiver
  double sent = 0;      // summed over the traces exporters
  double failed = 0;    // summed over the traces exporters
  bool found = false;   // the accepted counter was present (a receiver has seen spans)

  SpanCounters& operator+=(const SpanCounters& other);
};

// The span counters of samples. exporters: the `exporter` label values that count (the traces
// pipeline's exporters); empty counts every exporter.
SpanCounters span_counters(const std::vector<Sample>& samples,
                           const std::set<std::string>& exporters);

}  // namespace cxtm::validate
