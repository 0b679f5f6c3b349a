#include "lint/collector_config.h"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

namespace cxtm::lint {
namespace {

constexpr std::array<Kind, 5> kKinds = {Kind::receiver, Kind::processor, Kind::exporter,
                                        Kind::connector, Kind::extension};

// The signals a pipeline id may start with; anything else stops the collector at startup.
constexpr std::array<std::string_view, 4> kSignals = {"traces", "metrics", "logs", "profiles"};

bool is_absent(const YAML::Node& node) {
  return !node.IsDefined() || node.IsNull();
}

std::string describe(const YAML::Node& node) {
  if (node.IsScalar()) return "a single value";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  return "nothing";
}

// Every mapping key that appears twice in one mapping, anywhere under node. go-yaml, which the
// collector parses with, rejects these; yaml-cpp silently keeps both.
void check_duplicate_keys(const YAML::Node& node, Reporter& reporter) {
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) check_duplicate_keys(item, reporter);
    return;
  }
  if (!node.IsMap()) return;
  std::map<std::string, YAML::Node> seen;
  for (const auto& entry : node) {
    if (entry.first.IsScalar()) {
      const auto [first, inserted] = seen.emplace(entry.first.Scalar(), entry.first);
      if (!inserted) {
        reporter.report(entry.first, "duplicate-key", Severity::error,
                        fmt::format("key '{}' is already defined on line {}; the collector "
                                    "refuses a config with a duplicate key",
                                    entry.first.Scalar(), reporter.line_of(first->second)));
      }
    }
    check_duplicate_keys(entry.second, reporter);
  }
}

// Reads a list of component ids (a pipeline's receivers, service.extensions).
std::vector<Reference> read_references(const std::optional<Entry>& entry, std::string_view path,
                                       Reporter& reporter) {
  std::vector<Reference> references;
  if (!entry || is_absent(entry->value)) return references;
  if (!entry->value.IsSequence()) {
    reporter.report(
        entry->key, "config-shape", Severity::error,
        fmt::format("{} must be a list of component ids, got {}", path, describe(entry->value)));
    return references;
  }
  for (const YAML::Node& item : entry->value) {
    if (!item.IsScalar() || item.Scalar().empty()) {
      reporter.report(item.IsNull() ? entry->key : item, "config-shape", Severity::error,
                      fmt::format("{} must list component ids, got {}", path, describe(item)));
      continue;
    }
    const bool repeated = std::any_of(references.begin(), references.end(),
                                      [&](const Reference& r) { return r.id == item.Scalar(); });
    if (repeated) {
      reporter.report(
          item, "config-shape", Severity::error,
          fmt::format("{} lists '{}' twice; the collector refuses that", path, item.Scalar()));
      continue;
    }
    references.push_back(Reference{.id = item.Scalar(), .node = item});
  }
  return references;
}

void read_components(const YAML::Node& root, Kind kind, CollectorConfig& config,
                     Reporter& reporter) {
  const auto section = find_entry(root, section_of(kind));
  if (!section || is_absent(section->value)) return;
  if (!section->value.IsMap()) {
    reporter.report(section->key, "config-shape", Severity::error,
                    fmt::format("{} must be a mapping of component ids to settings, got {}",
                                section_of(kind), describe(section->value)));
    return;
  }
  for (const auto& entry : section->value) {
    if (!entry.first.IsScalar() || entry.first.Scalar().empty()) {
      reporter.report(entry.first, "config-shape", Severity::error,
                      fmt::format("{} must be keyed by component ids", section_of(kind)));
      continue;
    }
    Component component{.kind = kind,
                        .id = entry.first.Scalar(),
                        .type = component_type(entry.first.Scalar()),
                        .key = entry.first,
                        .settings = entry.second};
    if (!is_absent(entry.second) && !entry.second.IsMap()) {
      reporter.report(entry.first, "config-shape", Severity::error,
                      fmt::format("{} settings must be a mapping, got {}", component.path(),
                                  describe(entry.second)));
      component.settings = YAML::Node(YAML::NodeType::Null);
    }
    config.components.push_back(std::move(component));
  }
}

void read_pipeline(const YAML::Node& key, const YAML::Node& value, CollectorConfig& config,
                   Reporter& reporter) {
  const std::string id = key.Scalar();
  const std::string path = "service.pipelines." + id;
  const std::string signal = component_type(id);
  if (std::find(kSignals.begin(), kSignals.end(), signal) == kSignals.end()) {
    reporter.report(key, "config-shape", Severity::error,
                    fmt::format("{}: a pipeline id starts with traces, metrics or logs, not '{}'",
                                path, signal));
  }
  if (!value.IsMap()) {
    reporter.report(key, "config-shape", Severity::error,
                    fmt::format("{} must be a mapping with receivers, processors and exporters, "
                                "got {}",
                                path, describe(value)));
    return;
  }
  Pipeline pipeline{.id = id, .key = key};
  pipeline.receivers =
      read_references(find_entry(value, "receivers"), path + ".receivers", reporter);
  pipeline.processors =
      read_references(find_entry(value, "processors"), path + ".processors", reporter);
  pipeline.exporters =
      read_references(find_entry(value, "exporters"), path + ".exporters", reporter);
  if (pipeline.receivers.empty()) {
    reporter.report(key, "config-shape", Severity::error,
                    fmt::format("{} has no receivers; the collector refuses that", path));
  }
  if (pipeline.exporters.empty()) {
    reporter.report(key, "config-shape", Severity::error,
                    fmt::format("{} has no exporters; the collector refuses that", path));
  }
  config.pipelines.push_back(std::move(pipeline));
}

void read_service(const YAML::Node& root, CollectorConfig& config, Reporter& reporter) {
  const auto service = find_entry(root, "service");
  if (!service || is_absent(service->value)) {
    reporter.report(root, "no-service", Severity::error,
                    "no service section: the collector has no pipelines to run and will not "
                    "start; add service.pipelines");
    return;
  }
  if (!service->value.IsMap()) {
    reporter.report(service->key, "config-shape", Severity::error,
                    fmt::format("service must be a mapping, got {}", describe(service->value)));
    return;
  }
  config.service_extensions =
      read_references(find_entry(service->value, "extensions"), "service.extensions", reporter);

  const auto pipelines = find_entry(service->value, "pipelines");
  if (!pipelines || is_absent(pipelines->value) ||
      (pipelines->value.IsMap() && pipelines->value.size() == 0)) {
    reporter.report(pipelines ? pipelines->key : service->key, "no-pipelines", Severity::error,
                    "service has no pipelines: the collector will not start; add "
                    "service.pipelines with at least one traces, metrics or logs pipeline");
    return;
  }
  if (!pipelines->value.IsMap()) {
    reporter.report(pipelines->key, "config-shape", Severity::error,
                    fmt::format("service.pipelines must be a mapping of pipeline ids, got {}",
                                describe(pipelines->value)));
    return;
  }
  for (const auto& entry : pipelines->value) {
    if (!entry.first.IsScalar()) {
      reporter.report(entry.first, "config-shape", Severity::error,
                      "service.pipelines must be keyed by pipeline ids");
      continue;
    }
    read_pipeline(entry.first, entry.second, config, reporter);
  }
}

}  // namespace

Reporter::Reporter(std::string file, Locator locator, std::vector<Finding>& out)
    : file_(std::move(file)), locator_(locator), out_(out) {}

void Reporter::report(const YAML::Node& at, std::string_view rule_id, Severity severity,
                      std::string message) {
  const Position position = locator_.at(at.IsDefined() ? at.Mark() : YAML::Mark::null_mark());
  out_.push_back(Finding{.file = file_,
                         .line = position.line,
                         .column = position.column,
                         .rule_id = std::string(rule_id),
                         .severity = severity,
                         .message = std::move(message)});
}

int Reporter::line_of(const YAML::Node& node) const {
  return locator_.at(node.IsDefined() ? node.Mark() : YAML::Mark::null_mark()).line;
}

std::string_view section_of(Kind kind) {
  switch (kind) {
    case Kind::receiver:
      return "receivers";
    case Kind::processor:
      return "processors";
    case Kind::exporter:
      return "exporters";
    case Kind::connector:
      return "connectors";
    case Kind::extension:
      return "extensions";
  }
  return "";
}

std::string_view name_of(Kind kind) {
  switch (kind) {
    case Kind::receiver:
      return "receiver";
    case Kind::processor:
      return "processor";
    case Kind::exporter:
      return "exporter";
    case Kind::connector:
      return "connector";
    case Kind::extension:
      return "extension";
  }
  return "";
}

std::string Component::path() const {
  return fmt::format("{}.{}", section_of(kind), id);
}

const Component* CollectorConfig::find(Kind kind, std::string_view id) const {
  for (const Component& component : components) {
    if (component.kind == kind && component.id == id) return &component;
  }
  return nullptr;
}

std::optional<Entry> find_entry(const YAML::Node& map, std::string_view key) {
  if (!map.IsMap()) return std::nullopt;
  for (const auto& entry : map) {
    if (entry.first.IsScalar() && entry.first.Scalar() == key) {
      return Entry{.key = entry.first, .value = entry.second};
    }
  }
  return std::nullopt;
}

std::string component_type(std::string_view id) {
  return std::string(id.substr(0, id.find('/')));
}

bool is_env_reference(std::string_view value) {
  for (size_t i = 0; i + 1 < value.size(); ++i) {
    if (value[i] != '$') continue;
    const char next = value[i + 1];
    if (next == '{' || next == '_' || std::isalpha(static_cast<unsigned char>(next))) return true;
  }
  return false;
}

CollectorConfig read_collector_config(const YAML::Node& root, Reporter& reporter) {
  CollectorConfig config;
  check_duplicate_keys(root, reporter);
  for (Kind kind : kKinds) read_components(root, kind, config, reporter);
  read_service(root, config, reporter);
  return config;
}

bool is_collector_config(const YAML::Node& root) {
  const auto service = find_entry(root, "service");
  return service && find_entry(service->value, "pipelines").has_value();
}

}  // namespace cxtm::lint
