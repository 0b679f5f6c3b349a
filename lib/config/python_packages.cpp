#include "config/python_packages.h"

#include <yaml-cpp/yaml.h>

#include "config/yaml_field.h"
#include "core/embedded.h"
#include "core/error.h"

namespace cxtm::config {
namespace {

constexpr std::string_view kFile = "instrumentation/python-packages.yaml";

PythonPackages parse() {
  const auto found = embedded::files().find(kFile);
  if (found == embedded::files().end()) {
    throw Error(ExitCode::usage,
                "templates/instrumentation/python-packages.yaml is missing from this build");
  }
  const YamlField root =
      YamlField::root(YAML::Load(std::string(found->second)), std::string(kFile));
  root.expect_map({"sdk_version", "contrib_version", "sdk_packages", "contrib_packages", "extras"});
  PythonPackages packages{.sdk_version = root["sdk_version"].as_string(),
                          .contrib_version = root["contrib_version"].as_string(),
                          .sdk_packages = root["sdk_packages"].as_string_list(),
                          .contrib_packages = root["contrib_packages"].as_string_list()};
  for (const std::string& name : root["extras"].keys()) {
    packages.extras[name] = root["extras"][name].as_string();
  }
  return packages;
}

}  // namespace

std::vector<std::string> PythonPackages::requirements(
    const std::vector<std::string>& extra_names) const {
  std::vector<std::string> result;
  for (const auto& package : sdk_packages) result.push_back(package + "==" + sdk_version);
  for (const auto& package : contrib_packages) result.push_back(package + "==" + contrib_version);
  for (const auto& name : extra_names) {
    if (const auto found = extras.find(name); found != extras.end()) {
      result.push_back(found->second + "==" + contrib_version);
    }
  }
  return result;
}

const PythonPackages& python_packages() {
  static const PythonPackages packages = parse();
  return packages;
}

}  // namespace cxtm::config
