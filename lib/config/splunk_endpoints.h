#pragma once
// Splunk Observability Cloud endpoints, derived from the realm alone.

#include <string>
#include <string_view>
#include <vector>

namespace cxtm::config {

// Which host names a realm's endpoints use. Both are served by Splunk today.
enum class HostStyle {
  classic,     // ingest.<realm>.signalfx.com, api.<realm>.signalfx.com
  splunkcloud  // ingest.<realm>.observability.splunkcloud.com, api.<realm>.observability...
};

struct SplunkEndpoints {
  std::string ingest;           // https://ingest.us1.signalfx.com
  std::string api;              // https://api.us1.signalfx.com
  std::string traces_otlp;      // <ingest>/v2/trace/otlp
  std::string metrics_otlp;     // <ingest>/v2/datapoint/otlp
  std::string signalfx_ingest;  // <ingest> (signalfx exporter ingest_url)
  std::string signalfx_api;     // <api> (signalfx exporter api_url)
  std::string app;              // https://app.us1.signalfx.com: the web UI, for links
};

// The realms Splunk Observability Cloud runs today.
const std::vector<std::string>& known_realms();
bool is_known_realm(std::string_view realm);

// Endpoints for realm in the given style. The realm is not checked here.
SplunkEndpoints endpoints_for(std::string_view realm, HostStyle style);

}  // namespace cxtm::config
