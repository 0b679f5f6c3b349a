#pragma once
// Check 7 (--traffic PATH|URL): one request to each service through the API server's service
// proxy, then the collector's receivers must accept spans they had not accepted before it (the
// collector's own counters, read from every collector pod as check 6 does). The proof that the
// service's process sends spans without Splunk access; the counters are the collector's, not
// the service's, so another app's spans in the same seconds count too (docs/commands.md says so;
// --splunk proves each service by name).

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "instrument/spec.h"
#include "kube/kube_client.h"
#include "net/http_client.h"
#include "validate/collector.h"
#include "validate/exporter.h"
#include "validate/report.h"

namespace cxtm::validate {

// Where the request goes: a Service of the Deployment's namespace, its port and the path.
struct TrafficTarget {
  std::string service;
  int port = 0;
  std::string path;  // starts with '/', query included
};

// --traffic's value for a Deployment. "http://NAME[:PORT]/path" names the Service (port 80 when
// none; NAME may be NAME.NAMESPACE[.svc...], the namespace must be the Deployment's); "/path"
// uses the Service of the namespace whose selector picks the Deployment's pods, its first port.
// Throws Error(usage) naming what is wrong. Pure.
TrafficTarget traffic_target(const std::string& traffic, const Json& deployment,
                             const std::vector<Json>& services);

// --traffic's value checked before any cluster call: a path, or an http URL when one service
// is validated (a URL names one Service). Throws Error(usage) naming the flag. Pure.
void require_traffic_option(const std::string& traffic, size_t services);

// Whether path matches one of the app container's OTEL_PYTHON_EXCLUDED_URLS expressions (its
// requests make no span): the expression, or nullopt. Pure.
std::optional<std::string> excluded_by(const std::string& path, const Json& app_container);

// The check for one service's Deployment; spans counted by the collector pods in facts.
void check_traffic(net::HttpClient& http, kube::KubeClient& kube, const std::string& proxy_url,
                   const config::Config& config, const CollectorFacts& facts,
                   const kube::ObjectRef& deployment, const instrument::InstrumentationSpec& spec,
                   const std::string& traffic, const ExporterWait& wait, CheckResult& result);

}  // namespace cxtm::validate
