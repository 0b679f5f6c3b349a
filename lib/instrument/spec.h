#pragma once
// Everything that decides how a Python Deployment is instrumented. Two specs with the same
// hash() produce the same Deployment; the hash is stored on the Deployment so a second run
// can tell "unchanged" from "upgrade".

#include <map>
#include <string>
#include <vector>

#include "core/json.h"

namespace cxtm::instrument {

struct ResourceAmounts {
  std::string cpu;
  std::string memory;
};

struct InstrumentationSpec {
  std::string service_name;       // OTEL_SERVICE_NAME ("cxtm-scheduler")
  std::string container;          // the app container; empty: the only one
  std::string otlp_endpoint;      // "http://otel-collector.default.svc:4318"
  std::string environment;        // deployment.environment
  std::string service_namespace;  // service.namespace
  std::vector<std::string> packages;  // pinned requirements: "opentelemetry-sdk==1.41.0", ...
  std::string init_image;         // empty: the app container's own image
  std::string index_url;          // pip --index-url, for mirrors
  std::string extra_index_url;    // pip --extra-index-url
  std::string trusted_host;       // pip --trusted-host
  ResourceAmounts init_requests;  // the installer's resources (pip needs ~100Mi+)
  ResourceAmounts init_limits;

  // Stable sha256 over every field (not over the tool version).
  std::string hash() const;
  Json to_json() const;
};

}  // namespace cxtm::instrument
