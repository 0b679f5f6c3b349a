#pragma once
// The cxtm-o11y configuration: one cluster, its Splunk realm and token source, the collector,
// and the services to instrument. Defaults come from templates/defaults.yaml.

#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/alert_settings.h"
#include "config/splunk_endpoints.h"

namespace cxtm::config {

// Where the Splunk ingest access token comes from. Never inline in the file.
struct AccessTokenSource {
  std::string env;     // read from this environment variable at render/deploy time, if set
  std::string secret;  // the Secret that holds it in the cluster (rendered when env supplies it)
  std::string key;     // the key inside that Secret
  // The Secret is made by the team's own tooling (External Secrets, Sealed Secrets, a Vault
  // sync): cxtm-o11y reads it to check it and to roll the collector when it changes, and never
  // writes it; env is not read.
  bool external = false;
};

struct SplunkSettings {
  std::string realm;
  HostStyle host_style = HostStyle::splunkcloud;
  AccessTokenSource access_token;
};

struct ResourceAmounts {
  std::string cpu;
  std::string memory;
};

// A pod toleration, as Kubernetes spells it (operator Equal or Exists; effect empty for all).
struct Toleration {
  std::string key;
  std::string operator_ = "Equal";
  std::string value;
  std::string effect;
  std::optional<long long> toleration_seconds;  // NoExecute only
};

struct CollectorSettings {
  std::string name;  // DaemonSet, Service, ConfigMap and RBAC objects are named after it
  std::string namespace_;
  std::string image;    // repository, without tag
  std::string version;  // the image tag, pinned
  int otlp_grpc_port = 0;
  int otlp_http_port = 0;
  int health_port = 0;
  int metrics_port = 0;
  ResourceAmounts requests;
  ResourceAmounts limits;
  // Where the DaemonSet's pods may run: every node whose taints these tolerate and whose labels
  // match the selector. Each replaces the default whole.
  std::vector<Toleration> tolerations;
  std::vector<std::pair<std::string, std::string>> node_selector;  // in file order
};

// A folder inside a container image.
struct ImageFolder {
  std::string image;
  std::string path;
};

// How a service's Python is instrumented (issue: instrument). Set once at the top level and
// overridable per service.
struct InstrumentationSettings {
  // Who injects: init-container | operator; empty: as the workload is, else init-container.
  std::string via;
  std::string operator_image;  // via operator: the Operator's Python image; empty: the default
  std::string source;          // where the packages come from: index | wheelhouse | prebuilt
  std::string init_image;      // empty: the app container's own image (index, wheelhouse)
  std::string index_url;       // index only, like extra_index_url and trusted_host
  std::string extra_index_url;
  std::string trusted_host;
  ImageFolder wheelhouse;           // wheelhouse: the image and folder holding the wheels
  ImageFolder prebuilt;             // prebuilt: the image and folder holding the installed packages
  std::vector<std::string> extras;  // instrumentations installed whatever the app has
  std::vector<std::string> exclude;  // instrumentations never installed
  // (both by the names of the detection table in python-packages.yaml)
  ResourceAmounts requests;
  ResourceAmounts limits;
};

// The workload kinds a service may be (services.<name>.kind), the default first.
inline constexpr std::array<std::string_view, 3> kWorkloadKinds = {"Deployment", "StatefulSet",
                                                                   "DaemonSet"};

struct ServiceSettings {
  std::string name;                 // the service as users name it: "scheduler"
  std::string deployment;           // its workload's name: "cxtm-scheduler"
  std::string kind = "Deployment";  // its workload's kind: Deployment, StatefulSet or DaemonSet
  std::string container;            // the application container; empty: the only one
  std::string selector;           // label selector of its pods: "app.kubernetes.io/name=scheduler"
  std::string namespace_;         // its namespace; empty: the config's (or -n)
  std::string otel_service_name;  // service.name in Splunk APM; default: the Deployment's name
  InstrumentationSettings instrumentation;
  AlertSettings alerts;  // the top level's, with what services.<name>.alerts sets
};

// contexts.<name>: what differs for one kubeconfig context when one config serves several
// clusters (`--context a,b` or all of them); empty fields keep the top level's.
struct ContextSettings {
  std::string name;  // the kubeconfig context
  std::string cluster;
  std::string realm;
  std::string namespace_;
  std::string environment;
};

struct Config {
  std::string source;  // the file it was read from, for messages
  std::string cluster;
  std::string namespace_;
  std::string environment;
  SplunkSettings splunk;
  CollectorSettings collector;
  InstrumentationSettings instrumentation;  // the defaults every service starts from
  AlertSettings alerts;                     // the defaults every service starts from
  bool backup_cluster_copy = true;          // backup.cluster_copy: originals also in a ConfigMap
  std::string state_dir;                    // local backups; "~/" means $HOME
  std::string ca_bundle;  // CA certificates for HTTPS; empty: see config/ca_bundle.h
  std::vector<ServiceSettings> services;  // in file order
  std::vector<ContextSettings> contexts;  // in file order; see ConfigOverrides::context
  std::vector<std::string> warnings;      // legal but suspicious settings, one line each

  // The service named `name`, or nullptr.
  const ServiceSettings* find_service(std::string_view name) const;
  // The namespace the service lives in: its own, else the config's.
  const std::string& namespace_of(const ServiceSettings& service) const {
    return service.namespace_.empty() ? namespace_ : service.namespace_;
  }
  // The namespaces of the services, each once, in the order the services come.
  std::vector<std::string> service_namespaces() const;
  // The API resources of the workload kinds the services in namespace_ have
  // ("deployments.apps", ...), in kWorkloadKinds' order.
  std::vector<std::string> workload_resources(const std::string& namespace_) const;
  // Whether a service in namespace_ is set to be injected by the OpenTelemetry Operator.
  bool uses_operator(const std::string& namespace_) const;
  SplunkEndpoints endpoints() const { return endpoints_for(splunk.realm, splunk.host_style); }
  std::string collector_image() const { return collector.image + ":" + collector.version; }
  // http://<collector>.<namespace>.svc:<otlp_http>: where instrumented services send OTLP.
  std::string otlp_http_endpoint() const;
};

// What flags change after the file is read.
struct ConfigOverrides {
  std::string namespace_;  // -n: the services' namespace (and the collector's, unless set)
  std::string context;     // --context: its contexts.<name> settings apply (before -n)
};

// Parses config text over the shipped defaults and validates it. Throws Error(usage) with
// "file:line:column: field.path: problem" on the first problem.
Config parse_config(std::string_view text, std::string_view file_name,
                    const ConfigOverrides& overrides = {});

// Reads and parses a config file. Throws Error(usage) when it cannot be read.
Config load_config(const std::filesystem::path& file, const ConfigOverrides& overrides = {});

// The config file to use: the flag if given, else $CXTM_O11Y_CONFIG, else ./cxtm-o11y.yaml.
std::filesystem::path config_path(const std::string& flag_value);

}  // namespace cxtm::config
