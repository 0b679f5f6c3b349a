#include "validate/exporter.h"

#include <fmt/core.h>
#include <fmt/format.h>

#include "core/error.h"
#include "validate/api_proxy.h"
#include "validate/log_scan.h"

namespace cxtm::validate {
namespace {

constexpr size_t kShownLogLines = 10;

struct LogFindings {
  int auth = 0;
  int dropped = 0;
  int pods_read = 0;
};

LogFindings scan_logs(kube::KubeClient& kube, const config::Config& config,
                      const CollectorFacts& facts, CheckResult& result) {
  LogFindings findings;
  for (const auto& pod : facts.pods) {
    std::string log;
    try {
      log = kube.logs(config.collector.namespace_, pod, facts.container, kCollectorLogLines, false);
    } catch (const Error& error) {
      result.details.push_back(fmt::format("{}: log not readable: {}", pod, error.what()));
      continue;
    }
    ++findings.pods_read;
    for (const auto& line : scan_collector_log(log)) {
      (line.problem == LogProblem::auth ? findings.auth : findings.dropped) += 1;
      if (result.details.size() < kShownLogLines) {
        result.details.push_back(fmt::format("{}: {}", pod, line.line));
      }
    }
  }
  return findings;
}

std::string token_remedy(const config::Config& config) {
  return fmt::format(
      "Splunk refuses the collector's ingest token: put a valid INGEST token for realm {} into "
      "{} (key {}), e.g. {}=... cxtm-o11y collector deploy",
      config.splunk.realm,
      kube::ObjectRef{"v1", "Secret", config.collector.namespace_,
                      config.splunk.access_token.secret}
          .describe(),
      config.splunk.access_token.key, config.splunk.access_token.env);
}

std::string number(double value) {
  return fmt::format("{}", static_cast<long long>(value));
}

}  // namespace

MetricsRead read_span_counters(net::HttpClient& http, const std::string& proxy_url,
                               const config::Config& config, const std::vector<std::string>& pods,
                               const std::set<std::string>& exporters, Duration timeout) {
  MetricsRead read;
  for (const auto& pod : pods) {
    const auto answer = http.send({.url = pod_proxy_url(proxy_url, config.collector.namespace_, pod,
                                                        config.collector.metrics_port, "/metrics"),
                                   .timeout = timeout});
    if (!answer.answered() || answer.status != 200) {
      const auto refusal = api_server_refusal(answer);
      read.problems.push_back(fmt::format("{}: {}", pod, refusal ? *refusal : answer.describe()));
      continue;
    }
    read.pods[pod] = span_counters(parse_prometheus_text(answer.body), exporters);
  }
  return read;
}

SpanCounters counters_rise(const MetricsRead& before, const MetricsRead& after) {
  SpanCounters rise;
  for (const auto& [pod, now] : after.pods) {
    const auto earlier = before.pods.find(pod);
    if (earlier == before.pods.end()) continue;
    rise.accepted += now.accepted - earlier->second.accepted;
    rise.sent += now.sent - earlier->second.sent;
    rise.failed += now.failed - earlier->second.failed;
    rise.found = rise.found || now.found;
  }
  return rise;
}

void check_exporter(net::HttpClient& http, kube::KubeClient& kube, const std::string& proxy_url,
                    const config::Config& config, const CollectorFacts& facts,
                    const MetricsRead& baseline, int spans_sent, const ExporterWait& wait,
                    CheckResult& result) {
  const auto exporters = traces_exporters(facts.relay_yaml);
  const std::string exporter_names = fmt::format("{}", fmt::join(exporters, ", "));
  const int port = config.collector.metrics_port;
  result.data["exporters"] = exporters;
  if (baseline.pods.empty()) {
    result.status = Status::fail;
    result.summary = fmt::format("the collector's own metrics on port {} could not be read", port);
    result.details = baseline.problems;
    result.remedy = fmt::format(
        "serve them on all interfaces: service.telemetry.metrics.readers with a Prometheus pull "
        "exporter on host 0.0.0.0, port {}",
        port);
    return;
  }

  SpanCounters rise;
  MetricsRead now;
  while (true) {
    now = read_span_counters(http, proxy_url, config, facts.pods, exporters, wait.request_timeout);
    rise = counters_rise(baseline, now);
    const bool done = rise.failed > 0 || (rise.accepted >= spans_sent && rise.sent >= spans_sent);
    if (done || wait.time->now() + wait.poll_interval >= wait.deadline) break;
    wait.time->sleep_for(wait.poll_interval);
    if (wait.interrupted && wait.interrupted()) throw Error(ExitCode::interrupted, "interrupted");
  }
  result.data["accepted"] = static_cast<long long>(rise.accepted);
  result.data["sent"] = static_cast<long long>(rise.sent);
  result.data["failed"] = static_cast<long long>(rise.failed);
  result.data["podsRead"] = now.pods.size();
  for (const auto& problem : now.problems) result.details.push_back(problem);

  const auto logs = scan_logs(kube, config, facts, result);
  result.data["logLines"] = {{"auth", logs.auth}, {"dropped", logs.dropped}};
  const std::string counts =
      fmt::format("accepted +{}, sent +{} ({}), failed +{}", number(rise.accepted),
                  number(rise.sent), exporter_names, number(rise.failed));
  std::string log_part = fmt::format("no auth errors or dropped data in {} pod log{}",
                                     logs.pods_read, logs.pods_read == 1 ? "" : "s");
  if (logs.auth + logs.dropped > 0) {
    log_part = fmt::format("{} log line{} with auth errors, {} with dropped data", logs.auth,
                           logs.auth == 1 ? "" : "s", logs.dropped);
  }

  if (rise.failed > 0 || rise.accepted < spans_sent || rise.sent < spans_sent) {
    result.status = Status::fail;
    if (rise.failed > 0) {
      result.summary = fmt::format("the traces exporter failed to send: {}; {}", counts, log_part);
    } else if (rise.accepted < spans_sent) {
      result.summary = fmt::format("the receiver did not count the test span: {}", counts);
    } else {
      result.summary =
          fmt::format("the test span was not sent on within the wait: {}; {}", counts, log_part);
    }
    result.remedy =
        logs.auth > 0 ? token_remedy(config)
        : rise.accepted < spans_sent
            ? "the span reached another receiver than the counted ones; check the traces "
              "pipeline's receivers"
            : fmt::format(
                  "the exporter cannot reach Splunk or is retrying: kubectl logs -n {} "
                  "ds/{} | grep -i export",
                  config.collector.namespace_, config.collector.name);
    return;
  }
  result.summary = fmt::format("{}; {}", counts, log_part);
  if (logs.auth > 0) {
    result.status = Status::warn;
    result.remedy = token_remedy(config) + " (an exporter other than the traces one is refused)";
  } else if (logs.dropped > 0) {
    result.status = Status::warn;
    result.remedy = "the collector dropped data recently: see the log lines above";
  }
}

}  // namespace cxtm::validate
