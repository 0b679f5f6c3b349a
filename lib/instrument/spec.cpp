#include "instrument/spec.h"

#include "core/digest.h"

namespace cxtm::instrument {
namespace {

// Part of what the hash covers besides the fields: raise it when the transform writes a
// different Deployment for the same spec, so that instrumented Deployments read as outdated
// and get upgraded instead of staying "current" with the old layout.
constexpr std::string_view kLayout = "cxtm-o11y.io/python-layout=1\n";

Json resources_json(const ResourceAmounts& amounts) {
  return Json{{"cpu", amounts.cpu}, {"memory", amounts.memory}};
}

}  // namespace

Json InstrumentationSpec::to_json() const {
  return Json{
      {"serviceName", service_name},
      {"container", container},
      {"otlpEndpoint", otlp_endpoint},
      {"environment", environment},
      {"serviceNamespace", service_namespace},
      {"packages", packages},
      {"initImage", init_image},
      {"indexUrl", index_url},
      {"extraIndexUrl", extra_index_url},
      {"trustedHost", trusted_host},
      {"initResources",
       {{"requests", resources_json(init_requests)}, {"limits", resources_json(init_limits)}}}};
}

std::string InstrumentationSpec::hash() const {
  // to_json() has a fixed key order and dump() no whitespace, so equal specs give equal text;
  // ASCII escaping with replacement keeps odd bytes from throwing.
  const std::string canonical =
      to_json().dump(-1, ' ', true, nlohmann::detail::error_handler_t::replace);
  return sha256_hex(std::string(kLayout) + canonical);
}

}  // namespace cxtm::instrument
