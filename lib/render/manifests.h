#pragma once
// The collector's Kubernetes objects, rendered from templates/manifests/ and
// templates/collector/agent-config.yaml. Pure: config (and token) in, objects out.

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/json.h"

namespace cxtm::render {

struct RenderedObject {
  std::string file_name;  // "daemonset-otel-collector.yaml", for --output-dir
  Json object;
};

struct CollectorManifests {
  std::vector<RenderedObject> objects;  // in apply order
  std::string collector_config;         // the relay.yaml text inside the ConfigMap
};

// The values tree the templates see. token: the access token, when supplied (the Secret is
// rendered only then).
Json manifest_values(const config::Config& config, const std::optional<std::string>& token);

// Renders every object. Throws Error(usage) for settings the collector cannot run with.
// The DaemonSet's pod template carries checksum/secret, a digest of the token its pods will read
// (token_checksum): of `token` when supplied, else `live_token_checksum` (of the Secret as the
// cluster holds it) when known; without either it has none (render with no cluster).
CollectorManifests render_manifests(const config::Config& config,
                                    const std::optional<std::string>& token,
                                    const std::optional<std::string>& live_token_checksum = {});

// The pod template annotation that changes with the token.
inline constexpr std::string_view kTokenChecksumAnnotation = "checksum/secret";

// A digest of the token, fit to be shown (an annotation): a salted SHA-256, never the token.
std::string token_checksum(std::string_view token);
// The same digest from the token as a Secret's data holds it (base64).
std::string token_checksum_of_base64(std::string_view token_base64);

// The collector config alone, as relay.yaml text.
std::string render_collector_config(const config::Config& config);

// kustomization.yaml listing the objects' files, so "kubectl apply -k DIR" applies them.
std::string kustomization(const std::vector<RenderedObject>& objects);

}  // namespace cxtm::render
