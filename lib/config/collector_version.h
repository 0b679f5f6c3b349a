#pragma once
// The collector's pinned version (collector.version, the image tag) and what depends on it: the
// names its components go by. Collectors after 0.148 renamed `k8sattributes` to
// `k8s_attributes` and `otlphttp` to `otlp_http`; a config rendered for one version must use the
// names that version knows.

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace cxtm::config {

struct CollectorVersion {
  int major = 0;
  int minor = 0;
  int patch = 0;

  auto operator<=>(const CollectorVersion&) const = default;
  std::string text() const;
};

// "0.147.0" or "v0.147.0" (a release tag); nullopt for anything else ("latest", "0.147").
std::optional<CollectorVersion> parse_collector_version(std::string_view text);

// Why text is not a pinned collector version, or nullopt when it is.
std::optional<std::string> collector_version_problem(std::string_view text);

// The first version whose components go by the new names.
inline constexpr CollectorVersion kComponentsRenamed{0, 149, 0};

// A component the renaming touched: its name before and after.
struct RenamedComponent {
  std::string_view before;
  std::string_view after;
};
inline constexpr RenamedComponent kRenamedComponents[] = {{"k8sattributes", "k8s_attributes"},
                                                          {"otlphttp", "otlp_http"}};

// The names a version's components go by.
struct ComponentNames {
  std::string k8s_attributes;  // the processor that adds k8s.* to spans and metrics
  std::string otlp_http;       // the OTLP/HTTP exporter
};

ComponentNames component_names(const CollectorVersion& version);

// The name `version` knows a component of this type by ("k8sattributes" -> "k8s_attributes"
// from 0.149.0 on, and back before it); the type itself when the renaming did not touch it.
std::string_view name_in(std::string_view type, const CollectorVersion& version);

}  // namespace cxtm::config
