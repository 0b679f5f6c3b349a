#include "instrument/package_set.h"

namespace cxtm::instrument {

std::vector<std::string> PythonPackageSet::pinned() const {
  std::vector<std::string> pins;
  for (const auto& distribution : lock)
    pins.push_back(distribution.name + "==" + distribution.version);
  return pins;
}

const Instrumentation* PythonPackageSet::instrumentation(std::string_view name) const {
  for (const auto& row : instrumentations) {
    if (row.name == name) return &row;
  }
  return nullptr;
}

Json PythonPackageSet::to_json() const {
  // Arrays of pairs would keep file order too; objects read better in the pod spec, and the
  // installer's choices do not depend on the order.
  Json table = Json::object();
  for (const auto& row : instrumentations) {
    Json entry{{"package", row.package}};
    if (!row.libraries.empty()) entry["libraries"] = row.libraries;
    table[row.name] = std::move(entry);
  }
  Json locked = Json::object();
  for (const auto& distribution : lock) {
    Json entry{{"version", distribution.version}};
    if (!distribution.requires_.empty()) entry["requires"] = distribution.requires_;
    locked[distribution.name] = std::move(entry);
  }
  return Json{{"sdk_version", sdk_version},
              {"contrib_version", contrib_version},
              {"base", base},
              {"instrumentations", std::move(table)},
              {"lock", std::move(locked)}};
}

}  // namespace cxtm::instrument
