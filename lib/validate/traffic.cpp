#include "validate/traffic.h"

#include <fmt/core.h>

#include <regex>

#include "core/error.h"
#include "core/split.h"
#include "core/text.h"
#include "instrument/object_edit.h"
#include "instrument/owned.h"
#include "instrument/python_runtime.h"
#include "instrument/transform.h"
#include "net/url.h"
#include "validate/api_proxy.h"

namespace cxtm::validate {
namespace {

using instrument::find_named;
using instrument::member;
using instrument::npos;
using instrument::string_member;

// Whether every label of selector is on labels (a Service's selector is a plain map).
bool selects(const Json& selector, const Json& labels) {
  if (!selector.is_object() || selector.empty()) return false;
  for (const auto& [key, value] : selector.items()) {
    if (!labels.is_object() || !labels.contains(key) || labels[key] != value) return false;
  }
  return true;
}

}  // namespace

TrafficTarget traffic_target(const std::string& traffic, const Json& deployment,
                             const std::vector<Json>& services) {
  const std::string ns = string_member(member(deployment, "metadata"), "namespace");
  if (traffic.starts_with("/")) {
    const Json& labels = member_at(deployment, {"spec", "template", "metadata", "labels"});
    for (const Json& service : services) {
      if (!selects(member(member(service, "spec"), "selector"), labels)) continue;
      const Json& ports = member(member(service, "spec"), "ports");
      if (!ports.is_array() || ports.empty()) continue;
      return {.service = string_member(member(service, "metadata"), "name"),
              .port = ports[0].value("port", 0),
              .path = traffic};
    }
    throw Error(ExitCode::usage,
                fmt::format("--traffic {}: no Service in namespace {} selects the pods of {}; name "
                            "one: --traffic http://SERVICE:PORT{}",
                            traffic, ns, instrument::deployment_label(deployment), traffic));
  }
  const auto url = net::parse_url(traffic);
  if (!url || url->scheme != "http") {
    throw Error(ExitCode::usage,
                fmt::format("--traffic {}: give a path (/api/ping) or http://SERVICE[:PORT]/path",
                            traffic));
  }
  // NAME, NAME.NAMESPACE, NAME.NAMESPACE.svc.cluster.local: a Service of the Deployment's
  // namespace, which the API server's service proxy reaches.
  const size_t dot = url->host.find('.');
  const std::string name = url->host.substr(0, dot);
  if (dot != std::string::npos) {
    const size_t end = url->host.find('.', dot + 1);
    const std::string named_ns = url->host.substr(dot + 1, end - dot - 1);
    if (named_ns != ns) {
      throw Error(ExitCode::usage,
                  fmt::format("--traffic {}: Service {} is in namespace {}, not in {}'s", traffic,
                              name, named_ns, instrument::deployment_label(deployment)));
    }
  }
  return {.service = name, .port = url->port == 0 ? 80 : url->port, .path = url->path};
}

void require_traffic_option(const std::string& traffic, size_t services) {
  if (traffic.starts_with("/")) return;
  const auto url = net::parse_url(traffic);
  if (!url || url->scheme != "http") {
    throw Error(ExitCode::usage,
                fmt::format("--traffic {}: give a path (/api/ping) or http://SERVICE[:PORT]/path",
                            traffic));
  }
  if (services != 1) {
    throw Error(ExitCode::usage,
                fmt::format("--traffic {}: a URL names one Service, so validate one service with "
                            "it; a path (--traffic {}) goes to each service's own",
                            traffic, url->path));
  }
}

std::optional<std::string> excluded_by(const std::string& path, const Json& app_container) {
  const Json& env = member(app_container, "env");
  const size_t at = find_named(env, instrument::kEnvExcludedUrls);
  if (at == npos) return std::nullopt;
  const std::string value = string_member(env[at], "value");
  const std::string without_query = path.substr(0, path.find('?'));
  for (const std::string& item : split_nonempty(value, ",")) {
    // OpenTelemetry strips the whitespace around each expression (Python's str.strip()).
    const std::string expression(trim(item));
    if (expression.empty()) continue;
    try {
      // OpenTelemetry searches the URL with each expression (Python's re.search).
      if (std::regex_search(without_query, std::regex(expression))) return expression;
    } catch (const std::regex_error&) {
      // An expression std::regex does not read is not ours; the span count will tell.
    }
  }
  return std::nullopt;
}

void check_traffic(net::HttpClient& http, kube::KubeClient& kube, const std::string& proxy_url,
                   const config::Config& config, const CollectorFacts& facts,
                   const kube::ObjectRef& ref, const instrument::InstrumentationSpec& spec,
                   const std::string& traffic, const ExporterWait& wait, CheckResult& result) {
  const auto deployment = kube.get(ref);
  if (!deployment) {
    result.status = Status::fail;
    result.summary = ref.describe() + " not found";
    result.remedy = "see check 5";
    return;
  }
  const TrafficTarget target = traffic_target(
      traffic, *deployment,
      traffic.starts_with("/") ? kube.list("services", ref.namespace_, "") : std::vector<Json>{});
  result.data = {{"service", target.service}, {"port", target.port}, {"path", target.path}};
  const auto record = instrument::read_env_record(*deployment);
  const std::string app_name =
      record ? record->container : instrument::pick_container(*deployment, spec);
  const Json& containers = member_at(*deployment, {"spec", "template", "spec", "containers"});
  const size_t app = find_named(containers, app_name);
  if (const auto expression =
          app == npos ? std::nullopt : excluded_by(target.path, containers[app])) {
    result.status = Status::fail;
    result.summary = fmt::format(
        "{} is excluded from tracing (OTEL_PYTHON_EXCLUDED_URLS has {}): "
        "its request makes no span",
        target.path, *expression);
    result.remedy = "give --traffic a path the app serves that no probe uses";
    return;
  }
  const auto exporters = traces_exporters(facts.relay_yaml);
  const auto before =
      read_span_counters(http, proxy_url, config, facts.pods, exporters, wait.request_timeout);
  const std::string url =
      service_proxy_url(proxy_url, ref.namespace_, target.service, target.port, target.path);
  const auto answer = http.send({.url = url, .timeout = wait.request_timeout});
  result.data["httpStatus"] = answer.status;
  const std::string request =
      fmt::format("GET {} on Service {}:{}", target.path, target.service, target.port);
  if (!answer.answered()) {
    result.status = Status::fail;
    result.summary = fmt::format("{}: no answer through the API server: {}", request, answer.error);
    result.remedy = "check that the Service answers: kubectl get endpoints -n " + ref.namespace_ +
                    " " + target.service;
    return;
  }
  if (const auto refusal = api_server_refusal(answer)) {
    result.status = Status::fail;
    result.summary = fmt::format("{}: the API server refused the service proxy (HTTP {}): {}",
                                 request, answer.status, *refusal);
    result.remedy = refusal->find("forbidden") != std::string::npos
                        ? "the kubeconfig's user needs get on services/proxy for " + target.service
                        : "check the Service and its endpoints: kubectl get endpoints -n " +
                              ref.namespace_ + " " + target.service;
    return;
  }
  // The app's exporter sends in batches (every 5 s by default): look until the deadline.
  const auto start = wait.time->now();
  SpanCounters rise;
  while (true) {
    const auto after =
        read_span_counters(http, proxy_url, config, facts.pods, exporters, wait.request_timeout);
    rise = counters_rise(before, after);
    if (rise.accepted >= 1 || wait.time->now() + wait.poll_interval >= wait.deadline) break;
    wait.time->sleep_for(wait.poll_interval);
    if (wait.interrupted && wait.interrupted()) throw Error(ExitCode::interrupted, "interrupted");
  }
  const auto waited = std::chrono::duration_cast<Duration>(wait.time->now() - start);
  result.data["spansAccepted"] = rise.accepted;
  if (rise.accepted >= 1) {
    result.summary =
        fmt::format("{} answered {}; the collector accepted {} span{} after it", request,
                    answer.status, rise.accepted, rise.accepted == 1 ? "" : "s");
    return;
  }
  result.status = Status::fail;
  result.summary = fmt::format("{} answered {}, but no span reached the collector in {}", request,
                               answer.status, format_duration(waited));
  result.remedy =
      "check 5 shows whether tracing started in the app's process and the app's log holds its "
      "exporter's errors; a path the app does not trace (a static file, an excluded URL) makes "
      "no span: try another";
}

}  // namespace cxtm::validate
