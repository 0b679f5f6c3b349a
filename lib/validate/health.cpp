#include "validate/health.h"

#include <fmt/core.h>

#include "core/json.h"
#include "validate/api_proxy.h"

namespace cxtm::validate {

std::string proxy_refusal_remedy(const std::string& message, const config::Config& config) {
  const auto& ns = config.collector.namespace_;
  const auto& name = config.collector.name;
  if (message.find("no endpoints available") != std::string::npos) {
    return fmt::format(
        "no collector pod is ready behind Service {}/{}: see check 2 and "
        "kubectl get pods -n {}",
        ns, name, ns);
  }
  if (message.find("not found") != std::string::npos) {
    return "deploy the collector (its Service is missing): cxtm-o11y collector deploy";
  }
  if (message.find("forbidden") != std::string::npos) {
    return "the kubeconfig's user may not use the service proxy: see check 1";
  }
  return fmt::format(
      "the API server could not reach the collector's pods: kubectl get endpoints "
      "-n {} {}",
      ns, name);
}

void check_health(net::HttpClient& http, const std::string& proxy_url, const config::Config& config,
                  Duration timeout, CheckResult& result) {
  const auto& collector = config.collector;
  const std::string url = service_proxy_url(proxy_url, collector.namespace_, collector.name,
                                            collector.health_port, "/");
  const auto answer = http.send({.url = url, .timeout = timeout});
  result.data = {{"port", collector.health_port}, {"httpStatus", answer.status}};
  if (!answer.answered()) {
    result.status = Status::fail;
    result.summary =
        fmt::format("no answer from the health endpoint through the API server: {}", answer.error);
    result.remedy =
        "check that kubectl proxy works (kubectl get --raw /healthz) and the API "
        "server reaches the pod network";
    return;
  }
  if (const auto refusal = api_server_refusal(answer)) {
    result.status = Status::fail;
    result.summary = fmt::format("the API server refused the service proxy (HTTP {}): {}",
                                 answer.status, *refusal);
    result.remedy = proxy_refusal_remedy(*refusal, config);
    return;
  }
  const Json body = Json::parse(answer.body, nullptr, false);
  const std::string status_text =
      body.is_object() ? body.value("status", "") : answer.body.substr(0, 80);
  result.data["status"] = status_text;
  if (body.is_object() && body.contains("upSince")) result.data["upSince"] = body["upSince"];
  if (answer.status == 200) {
    result.summary = fmt::format("health_check on port {} answers \"{}\" through the service proxy",
                                 collector.health_port, status_text);
    return;
  }
  result.status = Status::fail;
  result.summary = fmt::format("health_check on port {} answers HTTP {}: \"{}\"",
                               collector.health_port, answer.status, status_text);
  result.remedy = answer.status == 404
                      ? "the port answers, but not as health_check: enable the health_check "
                        "extension on 0.0.0.0 at this port"
                      : fmt::format(
                            "the collector reports itself unhealthy: kubectl logs -n {} "
                            "-l app.kubernetes.io/name={}",
                            collector.namespace_, collector.name);
}

}  // namespace cxtm::validate
