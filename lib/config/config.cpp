#include "config/config.h"

#include <fmt/core.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "config/access_token.h"
#include "config/collector_version.h"
#include "config/k8s_names.h"
#include "config/python_packages.h"
#include "config/yaml_field.h"
#include "core/bounded_input.h"
#include "core/embedded.h"
#include "core/error.h"
#include "core/one_line.h"
#include "core/text.h"
#include "core/yaml_bounds.h"
#include "core/yaml_json.h"
#include "instrument/spec.h"

namespace cxtm::config {
namespace {

constexpr std::string_view kDefaultsFile = "defaults.yaml";

using NameCheck = std::optional<std::string> (*)(std::string_view);

void read_checked(const YamlField& field, std::string& target, NameCheck check) {
  if (!field.present()) return;
  const std::string value = field.as_string();
  if (auto problem = check(value)) field.fail(fmt::format("'{}' {}", value, *problem));
  target = value;
}

void read_port(const YamlField& field, int& target) {
  field.read(target, 1, 65535);
}

void read_access_token(const YamlField& field, AccessTokenSource& token) {
  if (field.present() && field.node().IsScalar()) {
    // The value is deliberately not repeated: it may be a real token.
    field.fail(
        "an inline token is not allowed; name an environment variable ('env:') or a "
        "Secret ('secret:') instead");
  }
  field.expect_map({"env", "secret", "key", "external"});
  field["env"].read(token.env);
  read_checked(field["secret"], token.secret, dns1123_subdomain_problem);
  field["key"].read(token.key);
  field["external"].read(token.external);
}

void read_realm(const YamlField& realm, std::string& into) {
  if (!realm.present()) return;
  into = realm.as_string();
  if (!is_known_realm(into)) {
    std::string realms;
    for (const auto& known : known_realms()) realms += (realms.empty() ? "" : ", ") + known;
    realm.fail(fmt::format("unknown realm '{}' (known: {})", into, realms));
  }
}

void read_splunk(const YamlField& field, SplunkSettings& splunk) {
  field.expect_map({"realm", "host_style", "access_token", "logs"});
  read_realm(field["realm"], splunk.realm);
  if (const auto style = field["host_style"]; style.present()) {
    const std::string value = style.as_string();
    if (value == "classic") {
      splunk.host_style = HostStyle::classic;
    } else if (value == "splunkcloud") {
      splunk.host_style = HostStyle::splunkcloud;
    } else {
      style.fail(fmt::format("expected 'classic' or 'splunkcloud', got '{}'", value));
    }
  }
  read_access_token(field["access_token"], splunk.access_token);
  if (field["logs"].present()) {
    field["logs"].fail(
        "Splunk Observability Cloud no longer ingests logs directly (Splunk's chart removed "
        "logsEnabled in 0.132.0); send logs to Splunk Platform and use Log Observer Connect");
  }
}

void read_amounts(const YamlField& field, ResourceAmounts& amounts) {
  field.expect_map({"cpu", "memory"});
  read_checked(field["cpu"], amounts.cpu, quantity_problem);
  read_checked(field["memory"], amounts.memory, quantity_problem);
}

Toleration read_toleration(const YamlField& field) {
  field.expect_map({"key", "operator", "value", "effect", "toleration_seconds"});
  Toleration toleration;
  field["key"].read(toleration.key);
  field["operator"].read(toleration.operator_);
  field["value"].read(toleration.value);
  field["effect"].read(toleration.effect);
  if (toleration.operator_ != "Equal" && toleration.operator_ != "Exists") {
    field["operator"].fail(
        fmt::format("'{}' is not a toleration operator (Equal or Exists)", toleration.operator_));
  }
  static const std::vector<std::string> effects = {"", "NoSchedule", "PreferNoSchedule",
                                                   "NoExecute"};
  if (std::find(effects.begin(), effects.end(), toleration.effect) == effects.end()) {
    field["effect"].fail(fmt::format(
        "'{}' is not a taint effect (NoSchedule, PreferNoSchedule, NoExecute, or empty for all)",
        toleration.effect));
  }
  if (toleration.operator_ == "Exists" && !toleration.value.empty()) {
    field["value"].fail("must be empty when the operator is Exists");
  }
  if (toleration.operator_ == "Equal" && toleration.key.empty()) {
    field["key"].fail("must be set when the operator is Equal (Exists with no key tolerates all)");
  }
  if (field["toleration_seconds"].present()) {
    if (toleration.effect != "NoExecute") {
      field["toleration_seconds"].fail("applies to the NoExecute effect only");
    }
    toleration.toleration_seconds = field["toleration_seconds"].as_integer(0, 1LL << 40);
  }
  return toleration;
}

void read_placement(const YamlField& field, CollectorSettings& collector) {
  if (const YamlField tolerations = field["tolerations"]; tolerations.present()) {
    collector.tolerations.clear();
    for (const YamlField& item : tolerations.elements()) {
      collector.tolerations.push_back(read_toleration(item));
    }
  }
  if (const YamlField selector = field["node_selector"]; selector.present()) {
    collector.node_selector.clear();
    for (const auto& key : selector.keys()) {
      const std::string value = selector[key].as_string();
      if (auto problem = label_selector_problem(key + "=" + value)) {
        selector[key].fail(fmt::format("'{}: {}' is not a node label: {}", key, value, *problem));
      }
      collector.node_selector.emplace_back(key, value);
    }
  }
}

void read_collector(const YamlField& field, CollectorSettings& collector) {
  field.expect_map({"name", "namespace", "image", "version", "ports", "resources", "tolerations",
                    "node_selector"});
  read_placement(field, collector);
  read_checked(field["name"], collector.name, dns1123_label_problem);
  read_checked(field["namespace"], collector.namespace_, dns1123_label_problem);
  field["image"].read(collector.image);
  read_checked(field["version"], collector.version, collector_version_problem);
  const YamlField ports = field["ports"];
  ports.expect_map({"otlp_grpc", "otlp_http", "health", "metrics"});
  read_port(ports["otlp_grpc"], collector.otlp_grpc_port);
  read_port(ports["otlp_http"], collector.otlp_http_port);
  read_port(ports["health"], collector.health_port);
  read_port(ports["metrics"], collector.metrics_port);
  const YamlField resources = field["resources"];
  resources.expect_map({"requests", "limits"});
  read_amounts(resources["requests"], collector.requests);
  read_amounts(resources["limits"], collector.limits);
}

void read_image_folder(const YamlField& field, ImageFolder& folder) {
  field.expect_map({"image", "path"});
  field["image"].read(folder.image);
  read_checked(field["path"], folder.path, instrument::image_folder_problem);
}

// Names from the detection table of python-packages.yaml ("flask", "requests", ...).
void read_instrumentation_names(const YamlField& field, std::vector<std::string>& names) {
  if (!field.present()) return;
  names = field.as_string_list();
  const auto& packages = python_packages();
  for (const auto& name : names) {
    if (packages.instrumentation(name) != nullptr) continue;
    std::string known;
    for (const auto& row : packages.instrumentations)
      known += (known.empty() ? "" : ", ") + row.name;
    field.fail(fmt::format("unknown instrumentation '{}' (known: {})", name, known));
  }
}

void read_instrumentation(const YamlField& field, InstrumentationSettings& settings) {
  field.expect_map({"via", "operator_image", "source", "init_image", "index_url", "extra_index_url",
                    "trusted_host", "wheelhouse", "prebuilt", "extras", "exclude", "resources"});
  if (const auto via = field["via"]; via.present()) {
    settings.via = via.as_string();
    if (!instrument::parse_injector(settings.via)) {
      via.fail(fmt::format("expected 'init-container' or 'operator', got '{}'", settings.via));
    }
  }
  field["operator_image"].read(settings.operator_image);
  if (const auto source = field["source"]; source.present()) {
    settings.source = source.as_string();
    if (!instrument::parse_package_source(settings.source)) {
      source.fail(
          fmt::format("expected 'index', 'wheelhouse' or 'prebuilt', got '{}'", settings.source));
    }
  }
  field["init_image"].read(settings.init_image);
  field["index_url"].read(settings.index_url);
  field["extra_index_url"].read(settings.extra_index_url);
  field["trusted_host"].read(settings.trusted_host);
  read_image_folder(field["wheelhouse"], settings.wheelhouse);
  read_image_folder(field["prebuilt"], settings.prebuilt);
  read_instrumentation_names(field["extras"], settings.extras);
  read_instrumentation_names(field["exclude"], settings.exclude);
  const YamlField resources = field["resources"];
  resources.expect_map({"requests", "limits"});
  read_amounts(resources["requests"], settings.requests);
  read_amounts(resources["limits"], settings.limits);
}

void read_service(const YamlField& field, ServiceSettings& service) {
  field.expect_map({"deployment", "kind", "namespace", "container", "selector", "otel_service_name",
                    "instrumentation", "alerts"});
  if (const auto kind = field["kind"]; kind.present()) {
    service.kind = kind.as_string();
    if (std::find(kWorkloadKinds.begin(), kWorkloadKinds.end(), service.kind) ==
        kWorkloadKinds.end()) {
      kind.fail(
          fmt::format("'{}' is not a workload cxtm-o11y instruments (Deployment, "
                      "StatefulSet, DaemonSet)",
                      service.kind));
    }
  }
  read_checked(field["namespace"], service.namespace_, dns1123_label_problem);
  read_checked(field["deployment"], service.deployment, dns1123_subdomain_problem);
  read_checked(field["container"], service.container, dns1123_label_problem);
  read_checked(field["selector"], service.selector, label_selector_problem);
  field["otel_service_name"].read(service.otel_service_name);
  read_instrumentation(field["instrumentation"], service.instrumentation);
  read_alert_settings(field["alerts"], service.alerts);
}

// The image the service's source needs, set here or inherited from the top level.
void require_source_image(const YamlField& field, const InstrumentationSettings& settings) {
  const auto require = [&](std::string_view section, const ImageFolder& folder) {
    if (!folder.image.empty()) return;
    field[section]["image"].fail(
        fmt::format("required for source: {} (set it here or under instrumentation.{}.image)",
                    section, section));
  };
  if (settings.source == "wheelhouse") require("wheelhouse", settings.wheelhouse);
  if (settings.source == "prebuilt") require("prebuilt", settings.prebuilt);
}

void read_services(const YamlField& field, const InstrumentationSettings& defaults,
                   const AlertSettings& alerts, std::vector<ServiceSettings>& services) {
  for (const std::string& name : field.keys()) {
    const YamlField entry = field[name];
    if (auto problem = dns1123_label_problem(name)) {
      entry.fail(fmt::format("service name '{}' {}", name, *problem));
    }
    ServiceSettings service{.name = name,
                            .deployment = name,
                            .container = "",
                            .selector = "app.kubernetes.io/name=" + name,
                            .otel_service_name = "",
                            .instrumentation = defaults,
                            .alerts = alerts};
    read_service(entry, service);
    require_source_image(entry["instrumentation"], service.instrumentation);
    if (service.otel_service_name.empty()) service.otel_service_name = service.deployment;
    services.push_back(service);
  }
}

// Applies what the document sets onto config; absent fields keep their earlier value.
void read_contexts(const YamlField& field, std::vector<ContextSettings>& contexts) {
  for (const std::string& name : field.keys()) {
    const YamlField entry = field[name];
    entry.expect_map({"cluster", "realm", "namespace", "environment"});
    ContextSettings context{.name = name};
    read_checked(entry["cluster"], context.cluster, dns1123_subdomain_problem);
    read_realm(entry["realm"], context.realm);
    read_checked(entry["namespace"], context.namespace_, dns1123_label_problem);
    entry["environment"].read(context.environment);
    contexts.push_back(std::move(context));
  }
}

// The chosen context's settings over the top level's.
void apply_context(Config& config, const std::string& chosen) {
  for (const auto& context : config.contexts) {
    if (context.name != chosen) continue;
    const auto over = [](std::string& into, const std::string& value) {
      if (!value.empty()) into = value;
    };
    over(config.cluster, context.cluster);
    over(config.splunk.realm, context.realm);
    over(config.namespace_, context.namespace_);
    over(config.environment, context.environment);
  }
}

void read_document(const YamlField& root, Config& config) {
  root.expect_map({"cluster", "namespace", "environment", "splunk", "collector", "instrumentation",
                   "alerts", "backup", "state_dir", "ca_bundle", "services", "contexts"});
  read_checked(root["cluster"], config.cluster, dns1123_subdomain_problem);
  read_checked(root["namespace"], config.namespace_, dns1123_label_problem);
  root["environment"].read(config.environment);
  read_splunk(root["splunk"], config.splunk);
  read_collector(root["collector"], config.collector);
  read_instrumentation(root["instrumentation"], config.instrumentation);
  read_alert_settings(root["alerts"], config.alerts);
  if (const auto backup = root["backup"]; backup.present()) {
    backup.expect_map({"cluster_copy"});
    backup["cluster_copy"].read(config.backup_cluster_copy);
  }
  root["state_dir"].read(config.state_dir);
  root["ca_bundle"].read(config.ca_bundle);
  if (root["services"].present()) {
    config.services.clear();
    read_services(root["services"], config.instrumentation, config.alerts, config.services);
  }
  if (root["contexts"].present()) read_contexts(root["contexts"], config.contexts);
}

YAML::Node parse_yaml(std::string_view text, std::string_view file_name) {
  require_yaml_text(text, file_name);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw Error(ExitCode::usage, fmt::format("{}:{}:{}: invalid YAML: {}", file_name,
                                             e.mark.line + 1, e.mark.column + 1, one_line(e.msg)));
  }
  if (const auto problem = yaml_bounds_problem(root)) {
    throw Error(ExitCode::usage, fmt::format("{}: the YAML {}", file_name, *problem));
  }
  return root;
}

void require(const Config& config, std::string_view path, const std::string& value) {
  if (value.empty()) {
    throw Error(ExitCode::usage,
                fmt::format("{}: {}: required field is missing", config.source, path));
  }
}

void check_required(const Config& config) {
  require(config, "cluster", config.cluster);
  require(config, "namespace", config.namespace_);
  require(config, "splunk.realm", config.splunk.realm);
  require(config, "splunk.access_token.secret", config.splunk.access_token.secret);
  require(config, "splunk.access_token.key", config.splunk.access_token.key);
  require(config, "collector.image", config.collector.image);
  require(config, "collector.version", config.collector.version);
  require(config, "collector.resources.limits.memory", config.collector.limits.memory);
}

}  // namespace

std::string Config::otlp_http_endpoint() const {
  return fmt::format("http://{}.{}.svc:{}", collector.name, collector.namespace_,
                     collector.otlp_http_port);
}

std::vector<std::string> Config::service_namespaces() const {
  std::vector<std::string> namespaces;
  for (const auto& service : services) {
    const std::string& namespace_ = namespace_of(service);
    if (std::find(namespaces.begin(), namespaces.end(), namespace_) == namespaces.end()) {
      namespaces.push_back(namespace_);
    }
  }
  return namespaces;
}

std::vector<std::string> Config::workload_resources(const std::string& namespace_) const {
  std::vector<std::string> resources;
  for (const auto kind : kWorkloadKinds) {
    const bool used = std::any_of(services.begin(), services.end(), [&](const ServiceSettings& s) {
      return s.kind == kind && namespace_of(s) == namespace_;
    });
    if (!used) continue;
    resources.push_back(to_lower(kind) + "s.apps");
  }
  return resources;
}

bool Config::uses_operator(const std::string& namespace_) const {
  return std::any_of(services.begin(), services.end(), [&](const ServiceSettings& service) {
    return service.instrumentation.via == "operator" && namespace_of(service) == namespace_;
  });
}

const ServiceSettings* Config::find_service(std::string_view name) const {
  for (const auto& service : services) {
    if (service.name == name) return &service;
  }
  return nullptr;
}

namespace {

// What every config starts from: templates/defaults.yaml (embedded), read once per process.
const Config& default_config() {
  static const Config defaults = [] {
    const auto file = embedded::files().find(kDefaultsFile);
    if (file == embedded::files().end()) {
      throw Error(ExitCode::usage, "templates/defaults.yaml is missing from this build");
    }
    Config config;
    read_document(YamlField::root(parse_yaml(file->second, kDefaultsFile), "defaults.yaml"),
                  config);
    return config;
  }();
  return defaults;
}

}  // namespace

Config parse_config(std::string_view text, std::string_view file_name,
                    const ConfigOverrides& overrides) {
  Config config = default_config();
  config.source = std::string(file_name);

  const YAML::Node document = parse_yaml(text, file_name);
  const YamlField root = YamlField::root(document, std::string(file_name));
  if (!root.present()) {
    throw Error(ExitCode::usage, fmt::format("{}: the file is empty", file_name));
  }
  read_document(root, config);
  apply_context(config, overrides.context);
  if (!overrides.namespace_.empty()) {
    if (auto problem = dns1123_label_problem(overrides.namespace_)) {
      throw Error(ExitCode::usage,
                  fmt::format("--namespace: '{}' {}", overrides.namespace_, *problem));
    }
    config.namespace_ = overrides.namespace_;
  }
  if (config.collector.namespace_.empty()) config.collector.namespace_ = config.namespace_;
  if (config.environment.empty()) config.environment = config.cluster;
  if (auto warning = foreign_secret_warning(config.splunk.access_token.env, file_name);
      !warning.empty()) {
    config.warnings.push_back(std::move(warning));
  }
  check_required(config);
  return config;
}

Config load_config(const std::filesystem::path& file, const ConfigOverrides& overrides) {
  if (!std::ifstream(file, std::ios::binary)) {
    throw Error(ExitCode::usage,
                fmt::format("{}: cannot read the config file (use -c FILE or $CXTM_O11Y_CONFIG)",
                            file.string()));
  }
  return parse_config(read_input(file.string(), max_input_bytes()), file.string(), overrides);
}

std::filesystem::path config_path(const std::string& flag_value) {
  if (!flag_value.empty()) return flag_value;
  if (const char* env = std::getenv("CXTM_O11Y_CONFIG"); env != nullptr && *env != '\0') {
    return env;
  }
  return "cxtm-o11y.yaml";
}

}  // namespace cxtm::config
