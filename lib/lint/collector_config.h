#pragma once
// A collector config (relay.yaml) as the lint rules see it: components and pipelines read once,
// every odd shape reported as a finding instead of thrown. Internal to lint/.

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lint/finding.h"
#include "lint/yaml_locate.h"

namespace cxtm::lint {

// Collects the findings for one config, each at its node's position in the linted file.
class Reporter {
 public:
  Reporter(std::string file, Locator locator, std::vector<Finding>& out);

  // Adds a finding at node's position; message must not contain a secret value.
  void report(const YAML::Node& at, std::string_view rule_id, Severity severity,
              std::string message);
  // 1-based line of node in the linted file, for messages that point at a second place.
  int line_of(const YAML::Node& node) const;

 private:
  std::string file_;
  Locator locator_;
  std::vector<Finding>& out_;
};

enum class Kind { receiver, processor, exporter, connector, extension };

std::string_view section_of(Kind kind);  // "receivers", "processors", ...
std::string_view name_of(Kind kind);     // "receiver", "processor", ...

struct Component {
  Kind kind = Kind::receiver;
  std::string id;       // "memory_limiter/agent"
  std::string type;     // "memory_limiter"
  YAML::Node key;       // the id as written: findings about the component point here
  YAML::Node settings;  // a mapping, or null for "batch:" (all defaults)

  std::string path() const;  // "processors.memory_limiter/agent"
};

// A component id as listed in a pipeline or in service.extensions.
struct Reference {
  std::string id;
  YAML::Node node;
};

struct Pipeline {
  std::string id;  // "traces", "metrics/agent"
  YAML::Node key;
  std::vector<Reference> receivers;
  std::vector<Reference> processors;
  std::vector<Reference> exporters;
};

struct CollectorConfig {
  std::vector<Component> components;  // every section, in file order
  std::vector<Pipeline> pipelines;
  std::vector<Reference> service_extensions;

  // The first component of kind with id, or nullptr.
  const Component* find(Kind kind, std::string_view id) const;
};

// A key and its value inside a mapping.
struct Entry {
  YAML::Node key;
  YAML::Node value;
};
// The first entry named key; nullopt when map is not a mapping or has no such key.
std::optional<Entry> find_entry(const YAML::Node& map, std::string_view key);

// The type part of a component id: "otlphttp" for "otlphttp/splunk".
std::string component_type(std::string_view id);

// True when value takes its content from the environment: ${env:VAR}, ${VAR} or $VAR.
bool is_env_reference(std::string_view value);

// Reads a parsed relay.yaml. Shape problems are reported as they are met: config-shape,
// duplicate-key, no-service, no-pipelines; whatever is readable is still returned.
CollectorConfig read_collector_config(const YAML::Node& root, Reporter& reporter);

// True when root looks like a collector config: a mapping whose service has pipelines.
bool is_collector_config(const YAML::Node& root);

}  // namespace cxtm::lint
