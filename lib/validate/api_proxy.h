#pragma once
// Paths through the API server's proxy to the collector (kubectl proxy serves the API server at
// a loopback URL), and telling the API server's own refusals from the collector's answers.
// Pure.

#include <optional>
#include <string>
#include <string_view>

#include "net/http_client.h"

namespace cxtm::validate {

// base + /api/v1/namespaces/NS/services/NAME:PORT/proxy + path (path starts with '/').
std::string service_proxy_url(std::string_view base, std::string_view namespace_,
                              std::string_view service, int port, std::string_view path);

// base + /api/v1/namespaces/NS/pods/NAME:PORT/proxy + path.
std::string pod_proxy_url(std::string_view base, std::string_view namespace_, std::string_view pod,
                          int port, std::string_view path);

// When the answer is the API server's (or kubectl proxy's) own Status document rather than
// the proxied server's: its message ("no endpoints available for service \"otel-collector\"").
std::optional<std::string> api_server_refusal(const net::HttpResponse& response);

}  // namespace cxtm::validate
