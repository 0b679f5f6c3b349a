#pragma once
// Where an exporter endpoint points: a Splunk Observability Cloud realm, another Splunk host,
// the pod or cluster itself, or somewhere else. Internal to lint/.

#include <string>
#include <string_view>

#include "config/splunk_endpoints.h"

namespace cxtm::lint {

enum class HostKind {
  observability,  // ingest.<realm>.signalfx.com, api.<realm>.observability.splunkcloud.com, ...
  splunk,         // another Splunk host without a realm (Splunk Cloud Platform HEC)
  local,          // loopback, a Kubernetes service or pod, a private address
  other,
};

struct Host {
  std::string name;  // lower case, without scheme, credentials, port or path
  HostKind kind = HostKind::other;
  std::string realm;  // observability hosts only
  config::HostStyle style = config::HostStyle::classic;
};

// Reads the host out of an endpoint: "https://ingest.us1.signalfx.com/v2/trace",
// "otel-gateway:4317", "http://[::1]:4318". Credentials in the URL are dropped, never kept.
Host classify_endpoint(std::string_view endpoint);

}  // namespace cxtm::lint
