#include "render/manifests.h"

#include <fmt/core.h>

#include "config/collector_version.h"
#include "config/k8s_names.h"
#include "core/digest.h"
#include "core/embedded.h"
#include "core/error.h"
#include "core/text.h"
#include "core/yaml_emit.h"
#include "render/manifest_parts.h"
#include "render/template.h"

namespace cxtm::render {
namespace {

constexpr std::string_view kManifestDir = "manifests/";
constexpr std::string_view kAgentConfig = "collector/agent-config.yaml";
constexpr long long kMinimumMemoryMib = 128;

std::string_view embedded_file(std::string_view name) {
  const auto found = embedded::files().find(name);
  if (found == embedded::files().end()) {
    throw Error(ExitCode::usage, fmt::format("template {} is missing from this build", name));
  }
  return found->second;
}

Json resources_of(const config::CollectorSettings& collector) {
  Json resources = Json::object();
  const auto add = [&](const char* section, const config::ResourceAmounts& amounts) {
    Json entry = Json::object();
    if (!amounts.cpu.empty()) entry["cpu"] = amounts.cpu;
    if (!amounts.memory.empty()) entry["memory"] = amounts.memory;
    if (!entry.empty()) resources[section] = entry;
  };
  add("requests", collector.requests);
  add("limits", collector.limits);
  return resources;
}

Json tolerations_of(const config::CollectorSettings& collector) {
  Json tolerations = Json::array();
  for (const auto& toleration : collector.tolerations) {
    Json entry = Json::object();
    if (!toleration.key.empty()) entry["key"] = toleration.key;
    entry["operator"] = toleration.operator_;
    if (!toleration.value.empty()) entry["value"] = toleration.value;
    if (!toleration.effect.empty()) entry["effect"] = toleration.effect;
    if (toleration.toleration_seconds) entry["tolerationSeconds"] = *toleration.toleration_seconds;
    tolerations.push_back(std::move(entry));
  }
  return tolerations;
}

Json node_selector_of(const config::CollectorSettings& collector) {
  Json selector = Json::object();
  for (const auto& [key, value] : collector.node_selector) selector[key] = value;
  return selector;
}

// memory_limiter's hard limit: 90% of the container limit, as Splunk's distribution derives it.
long long memory_limit_mib(const config::Config& config) {
  const auto total = config::quantity_to_mib(config.collector.limits.memory);
  if (!total || *total < kMinimumMemoryMib) {
    throw Error(ExitCode::usage,
                fmt::format("{}: collector.resources.limits.memory: {} is too small; the "
                            "collector needs at least {}Mi",
                            config.source, config.collector.limits.memory, kMinimumMemoryMib));
  }
  return *total * 90 / 100;
}

// The names the pinned version's components go by (config/collector_version.h). The version
// was checked when the config was read; an unparseable one here is a config built by hand.
Json component_names_of(const config::CollectorSettings& collector) {
  const auto version = config::parse_collector_version(collector.version);
  if (!version) {
    throw Error(ExitCode::usage,
                fmt::format("collector.version: '{}' {}", collector.version,
                            *config::collector_version_problem(collector.version)));
  }
  const auto names = config::component_names(*version);
  return {{"k8s_attributes", names.k8s_attributes}, {"otlp_http", names.otlp_http}};
}

}  // namespace

Json manifest_values(const config::Config& config, const std::optional<std::string>& token) {
  const auto& collector = config.collector;
  const auto endpoints = config.endpoints();
  const Json selector = {{"app.kubernetes.io/name", collector.name},
                         {"app.kubernetes.io/component", "agent"}};
  // An admin's objects (render/manifest_parts.h) carry no version: a collector upgrade by the
  // operator must not need the admin again.
  Json admin = selector;
  admin["app.kubernetes.io/managed-by"] = kManagedBy;
  Json agent = admin;
  agent["app.kubernetes.io/version"] = collector.version;
  return Json{
      {"cluster", config.cluster},
      {"environment", config.environment},
      {"namespace_object", collector.namespace_ != "default"},
      {"components", component_names_of(collector)},
      {"labels",
       {{"common", {{"app.kubernetes.io/managed-by", kManagedBy}}},
        {"selector", selector},
        {"admin", admin},
        {"agent", agent}}},
      {"collector",
       {{"name", collector.name},
        {"namespace", collector.namespace_},
        {"image", config.collector_image()},
        {"ports",
         {{"otlp_grpc", collector.otlp_grpc_port},
          {"otlp_http", collector.otlp_http_port},
          {"health", collector.health_port},
          {"metrics", collector.metrics_port}}},
        {"resources", resources_of(collector)},
        {"tolerations", tolerations_of(collector)},
        {"node_selector", node_selector_of(collector)},
        {"memory_limit_mib", memory_limit_mib(config)}}},
      {"endpoints",
       {{"ingest", endpoints.ingest},
        {"api", endpoints.api},
        {"traces_otlp", endpoints.traces_otlp},
        {"metrics_otlp", endpoints.metrics_otlp}}},
      {"token",
       {{"secret", config.splunk.access_token.secret},
        {"key", config.splunk.access_token.key},
        {"value_base64", token ? base64_encode(*token) : ""}}},
  };
}

namespace {

// values with every "$" in a string doubled: the collector expands ${...} (and $NAME) in its
// config, "$$" is its literal "$". A config value such as "x${env:SPLUNK_..._TOKEN}" would
// otherwise put the token into every span's attributes.
Json escaped_for_collector(Json values) {
  if (values.is_string()) {
    std::string text;
    for (char c : values.get_ref<const std::string&>()) {
      if (c == '$') text += '$';
      text += c;
    }
    return text;
  }
  if (values.is_structured()) {
    for (auto& value : values) value = escaped_for_collector(std::move(value));
  }
  return values;
}

}  // namespace

std::string render_collector_config(const config::Config& config) {
  const Json values = escaped_for_collector(manifest_values(config, std::nullopt));
  return to_yaml(render_template(embedded_file(kAgentConfig), kAgentConfig, values));
}

std::string token_checksum_of_base64(std::string_view token_base64) {
  return sha256_hex(fmt::format("cxtm-o11y access token\n{}", token_base64));
}

std::string token_checksum(std::string_view token) {
  return token_checksum_of_base64(base64_encode(token));
}

namespace {

void add_token_checksum(Json& daemon_set, const std::string& checksum) {
  daemon_set["spec"]["template"]["metadata"]["annotations"][std::string(kTokenChecksumAnnotation)] =
      checksum;
}

}  // namespace

CollectorManifests render_manifests(const config::Config& config,
                                    const std::optional<std::string>& token,
                                    const std::optional<std::string>& live_token_checksum) {
  const std::optional<std::string> checksum =
      token ? std::optional<std::string>(token_checksum(*token)) : live_token_checksum;
  CollectorManifests result;
  result.collector_config = render_collector_config(config);
  Json values = manifest_values(config, token);
  values["collector_config"] = result.collector_config;
  values["collector"]["config_checksum"] = sha256_hex(result.collector_config);

  for (const auto& [name, text] : embedded::files()) {  // sorted: the NN- prefixes set the order
    if (!name.starts_with(kManifestDir)) continue;
    Json object = render_template(text, name, values);
    if (object.is_null()) continue;
    if (checksum && object.value("kind", "") == "DaemonSet") add_token_checksum(object, *checksum);
    const std::string file_name =
        fmt::format("{}-{}.yaml", to_lower(object.value("kind", "object")),
                    object["metadata"].value("name", "unnamed"));
    result.objects.push_back({file_name, std::move(object)});
  }
  return result;
}

std::string kustomization(const std::vector<RenderedObject>& objects) {
  Json resources = Json::array();
  for (const auto& object : objects) resources.push_back(object.file_name);
  return to_yaml(Json{{"apiVersion", "kustomize.config.k8s.io/v1beta1"},
                      {"kind", "Kustomization"},
                      {"resources", resources}});
}

}  // namespace cxtm::render
