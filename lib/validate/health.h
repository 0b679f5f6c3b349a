#pragma once
// Check 3: the collector's health_check extension answers healthy, reached through the API
// server's service proxy (kubectl proxy on loopback): no port-forward, no exec.

#include <string>

#include "config/config.h"
#include "core/duration.h"
#include "net/http_client.h"
#include "validate/report.h"

namespace cxtm::validate {

// GET <proxy>/api/v1/namespaces/NS/services/NAME:HEALTH/proxy/ and judges the answer.
void check_health(net::HttpClient& http, const std::string& proxy_url, const config::Config& config,
                  Duration timeout, CheckResult& result);

// The remedy for an API server refusal met on the service proxy ("no endpoints available ...",
// "services ... not found"), shared by the checks that use the proxy.
std::string proxy_refusal_remedy(const std::string& message, const config::Config& config);

}  // namespace cxtm::validate
