#pragma once
// Check 6: the collector passed the test span on. Its own metrics (port 8888, read from every
// collector pod through the API server's pod proxy, since the span went to whichever pod the
// service proxy chose) must show spans accepted by the receiver and sent by the traces
// exporter rising after the test span, and failed sends not rising; recent collector log lines
// with 401/403/"Unauthorized" or dropped data are reported with their pod.

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "config/config.h"
#include "kube/kube_client.h"
#include "net/http_client.h"
#include "net/retry.h"
#include "validate/collector.h"
#include "validate/prometheus_text.h"
#include "validate/report.h"

namespace cxtm::validate {

// Log lines read per collector pod.
inline constexpr int kCollectorLogLines = 200;

struct MetricsRead {
  std::map<std::string, SpanCounters> pods;  // by pod, those that answered
  std::vector<std::string> problems;         // "pod: why it could not be read"
};

// The span counters of each pod, read through
// <proxy>/api/v1/namespaces/NS/pods/POD:PORT/proxy/metrics.
MetricsRead read_span_counters(net::HttpClient& http, const std::string& proxy_url,
                               const config::Config& config, const std::vector<std::string>& pods,
                               const std::set<std::string>& exporters, Duration timeout);

// after minus before, over the pods both read.
SpanCounters counters_rise(const MetricsRead& before, const MetricsRead& after);

struct ExporterWait {
  Clock::time_point deadline;
  Duration poll_interval = std::chrono::milliseconds(500);
  Duration request_timeout = std::chrono::seconds(10);
  TimeSource* time = &system_time();  // the deadline's clock, and the pauses between looks
  std::function<bool()> interrupted;
};

// Polls the counters until the spans are accepted and sent (or a send failed, or the
// deadline), then scans the collector's logs.
void check_exporter(net::HttpClient& http, kube::KubeClient& kube, const std::string& proxy_url,
                    const config::Config& config, const CollectorFacts& facts,
                    const MetricsRead& baseline, int spans_sent, const ExporterWait& wait,
                    CheckResult& result);

}  // namespace cxtm::validate
