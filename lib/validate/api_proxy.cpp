#include "validate/api_proxy.h"

#include <fmt/core.h>

#include "core/json.h"

namespace cxtm::validate {

std::string service_proxy_url(std::string_view base, std::string_view namespace_,
                              std::string_view service, int port, std::string_view path) {
  return fmt::format("{}/api/v1/namespaces/{}/services/{}:{}/proxy{}", base, namespace_, service,
                     port, path);
}

std::string pod_proxy_url(std::string_view base, std::string_view namespace_, std::string_view pod,
                          int port, std::string_view path) {
  return fmt::format("{}/api/v1/namespaces/{}/pods/{}:{}/proxy{}", base, namespace_, pod, port,
                     path);
}

std::optional<std::string> api_server_refusal(const net::HttpResponse& response) {
  if (!response.answered() || response.status < 400) return std::nullopt;
  const Json document = Json::parse(response.body, nullptr, false);
  if (document.is_discarded() || !document.is_object() || document.value("kind", "") != "Status" ||
      document.value("apiVersion", "") != "v1") {
    return std::nullopt;
  }
  return document.value("message", fmt::format("HTTP {}", response.status));
}

}  // namespace cxtm::validate
