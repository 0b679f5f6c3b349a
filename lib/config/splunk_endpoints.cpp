#include "config/splunk_endpoints.h"

#include <fmt/core.h>

#include <algorithm>

namespace cxtm::config {

const std::vector<std::string>& known_realms() {
  static const std::vector<std::string> realms = {"us0", "us1", "us2", "us3", "eu0",
                                                  "eu1", "eu2", "au0", "jp0", "sg0"};
  return realms;
}

bool is_known_realm(std::string_view realm) {
  const auto& realms = known_realms();
  return std::find(realms.begin(), realms.end(), realm) != realms.end();
}

SplunkEndpoints endpoints_for(std::string_view realm, HostStyle style) {
  const std::string domain =
      style == HostStyle::classic ? "signalfx.com" : "observability.splunkcloud.com";
  const std::string ingest = fmt::format("https://ingest.{}.{}", realm, domain);
  const std::string api = fmt::format("https://api.{}.{}", realm, domain);
  return SplunkEndpoints{
      .ingest = ingest,
      .api = api,
      .traces_otlp = ingest + "/v2/trace/otlp",
      .metrics_otlp = ingest + "/v2/datapoint/otlp",
      .signalfx_ingest = ingest,
      .signalfx_api = api,
      .app = fmt::format("https://app.{}.{}", realm, domain),
  };
}

}  // namespace cxtm::config
