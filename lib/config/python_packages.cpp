#include "config/python_packages.h"

#include <yaml-cpp/yaml.h>

#include "config/yaml_field.h"
#include "core/embedded.h"
#include "core/error.h"

namespace cxtm::config {
namespace {

constexpr std::string_view kFile = "instrumentation/python-packages.yaml";

instrument::PythonPackageSet parse() {
  const auto found = embedded::files().find(kFile);
  if (found == embedded::files().end()) {
    throw Error(ExitCode::usage,
                "templates/instrumentation/python-packages.yaml is missing from this build");
  }
  const YamlField root =
      YamlField::root(YAML::Load(std::string(found->second)), std::string(kFile));
  root.expect_map({"sdk_version", "contrib_version", "base", "instrumentations", "lock"});
  instrument::PythonPackageSet set{.sdk_version = root["sdk_version"].as_string(),
                                   .contrib_version = root["contrib_version"].as_string(),
                                   .base = root["base"].as_string_list(),
                                   .instrumentations = {},
                                   .lock = {}};
  for (const std::string& name : root["instrumentations"].keys()) {
    const YamlField row = root["instrumentations"][name];
    row.expect_map({"package", "libraries"});
    instrument::Instrumentation instrumentation{
        .name = name, .package = row["package"].as_string(), .libraries = {}};
    row["libraries"].read(instrumentation.libraries);
    set.instrumentations.push_back(std::move(instrumentation));
  }
  for (const std::string& name : root["lock"].keys()) {
    const YamlField entry = root["lock"][name];
    entry.expect_map({"version", "requires"});
    instrument::LockedDistribution distribution{
        .name = name, .version = entry["version"].as_string(), .requires_ = {}};
    entry["requires"].read(distribution.requires_);
    set.lock.push_back(std::move(distribution));
  }
  return set;
}

}  // namespace

const instrument::PythonPackageSet& python_packages() {
  static const instrument::PythonPackageSet packages = parse();
  return packages;
}

}  // namespace cxtm::config
