#pragma once
// The pinned OpenTelemetry Python package set (templates/instrumentation/python-packages.yaml).

#include <map>
#include <string>
#include <vector>

namespace cxtm::config {

struct PythonPackages {
  std::string sdk_version;      // "1.41.0"
  std::string contrib_version;  // "0.62b0"
  std::vector<std::string> sdk_packages;
  std::vector<std::string> contrib_packages;
  std::map<std::string, std::string> extras;  // short name → package

  // "name==version" for every base package, then the named extras (unknown names ignored:
  // the config has validated them).
  std::vector<std::string> requirements(const std::vector<std::string>& extra_names) const;
};

// The shipped package set, parsed once.
const PythonPackages& python_packages();

}  // namespace cxtm::config
