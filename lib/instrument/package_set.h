#pragma once
// The locked OpenTelemetry Python package set (templates/instrumentation/python-packages.yaml)
// as the installer in the app's image reads it: every distribution the volume can hold with
// what it requires, the base set, and the table that picks instrumentations by the app's
// libraries. Data only; the choices are made in the pod (templates/instrumentation/installer.py).

#include <string>
#include <vector>

#include "core/json.h"

namespace cxtm::instrument {

struct LockedDistribution {
  std::string name;     // "opentelemetry-sdk"
  std::string version;  // "1.41.1"
  std::vector<std::string>
      requires_;  // "opentelemetry-api == 1.41.1", "typing-extensions >= 4.5.0"
};

// One row of the detection table: installed when the app has any of `libraries` in range,
// always when there are none.
struct Instrumentation {
  std::string name;                    // "flask": what the config names
  std::string package;                 // "opentelemetry-instrumentation-flask"
  std::vector<std::string> libraries;  // "flask >= 1.0"
};

struct PythonPackageSet {
  std::string sdk_version;      // "1.41.1"
  std::string contrib_version;  // "0.62b1"
  std::vector<std::string> base;
  std::vector<Instrumentation> instrumentations;
  std::vector<LockedDistribution> lock;

  // "name==version" for every distribution of the lock, in lock order: what an image for the
  // wheelhouse and prebuilt sources holds.
  std::vector<std::string> pinned() const;
  // The instrumentation named name, or nullptr.
  const Instrumentation* instrumentation(std::string_view name) const;
  // {sdk_version, contrib_version, base, instrumentations: {name: {package, libraries}},
  // lock: {name: {version, requires}}}: the installer's view, and what the spec hash covers.
  Json to_json() const;
};

}  // namespace cxtm::instrument
