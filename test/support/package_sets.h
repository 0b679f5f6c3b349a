#pragma once
// Package sets for the pure tests of instrument/: small and fixed, so that a test's expectation
// does not move with the shipped lock (templates/instrumentation/python-packages.yaml).

#include "core/json.h"
#include "instrument/package_set.h"

namespace cxtm::testing {

// The distro and the SDK with one instrumentation (flask) and one third-party distribution.
inline instrument::PythonPackageSet small_package_set() {
  return {.sdk_version = "1.41.1",
          .contrib_version = "0.62b1",
          .base = {"opentelemetry-distro"},
          .instrumentations = {{.name = "flask",
                                .package = "opentelemetry-instrumentation-flask",
                                .libraries = {"flask >= 1.0"}}},
          .lock = {{.name = "opentelemetry-distro",
                    .version = "0.62b1",
                    .requires_ = {"opentelemetry-sdk ~= 1.13"}},
                   {.name = "opentelemetry-sdk",
                    .version = "1.41.1",
                    .requires_ = {"typing-extensions >= 4.5.0"}},
                   {.name = "opentelemetry-instrumentation-flask", .version = "0.62b1"},
                   {.name = "typing-extensions", .version = "4.14.1"}}};
}

// small_package_set() with one more distribution: what an upgrade of the lock looks like.
inline instrument::PythonPackageSet upgraded_package_set() {
  auto set = small_package_set();
  set.lock.push_back({.name = "opentelemetry-instrumentation-requests", .version = "0.62b1"});
  set.instrumentations.push_back({.name = "requests",
                                  .package = "opentelemetry-instrumentation-requests",
                                  .libraries = {"requests ~= 2.0"}});
  return set;
}

// The installer's plan inside an init container's command (python3 -c <script> <plan>).
inline Json plan_of(const Json& init_container) {
  return Json::parse(init_container["command"][3].get<std::string>());
}

}  // namespace cxtm::testing
