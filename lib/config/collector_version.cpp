#include "config/collector_version.h"

#include <fmt/core.h>

#include <charconv>

namespace cxtm::config {
namespace {

// One number of a dotted version: digits only, no leading zero unless it is "0".
std::optional<int> number(std::string_view text) {
  if (text.empty() || text.size() > 6 || (text.size() > 1 && text.front() == '0')) {
    return std::nullopt;
  }
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::string CollectorVersion::text() const {
  return fmt::format("{}.{}.{}", major, minor, patch);
}

std::optional<CollectorVersion> parse_collector_version(std::string_view text) {
  if (text.starts_with('v')) text.remove_prefix(1);
  const auto first = text.find('.');
  const auto second = first == std::string_view::npos ? first : text.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  const auto major = number(text.substr(0, first));
  const auto minor = number(text.substr(first + 1, second - first - 1));
  const auto patch = number(text.substr(second + 1));
  if (!major || !minor || !patch) return std::nullopt;
  return CollectorVersion{*major, *minor, *patch};
}

std::optional<std::string> collector_version_problem(std::string_view text) {
  if (parse_collector_version(text)) return std::nullopt;
  return fmt::format(
      "is not a pinned collector release (MAJOR.MINOR.PATCH, such as {}): the config the tool "
      "renders depends on the version",
      kComponentsRenamed.text());
}

std::string_view name_in(std::string_view type, const CollectorVersion& version) {
  const bool renamed = version >= kComponentsRenamed;
  for (const auto& component : kRenamedComponents) {
    if (type == component.before || type == component.after) {
      return renamed ? component.after : component.before;
    }
  }
  return type;
}

ComponentNames component_names(const CollectorVersion& version) {
  return {std::string(name_in("k8sattributes", version)),
          std::string(name_in("otlphttp", version))};
}

}  // namespace cxtm::config
