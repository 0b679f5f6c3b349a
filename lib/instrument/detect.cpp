// What a Deployment is before the transform runs: which container is the app, and whether it
// is untouched, the POC's partial setup, or instrumented by this tool (with which spec).

#include <fmt/core.h>

#include "core/error.h"
#include "instrument/env_merge.h"
#include "instrument/installer.h"
#include "instrument/object_edit.h"
#include "instrument/operator_injection.h"
#include "instrument/owned.h"
#include "instrument/transform.h"

namespace cxtm::instrument {
namespace {

std::string container_names(const Json& containers) {
  std::string names;
  for (const Json& container : containers) {
    names += (names.empty() ? "" : ", ") + string_member(container, "name");
  }
  return names;
}

// The POC's setup: the volume path on PYTHONPATH (as a plain value) and OTEL_* variables.
bool has_poc_env(const Json& container) {
  const Json& env = member(container, "env");
  const size_t python_path = find_named(env, kEnvPythonPath);
  if (python_path == npos || !member(env[python_path], "valueFrom").is_null() ||
      !pythonpath_has_ours(string_member(env[python_path], "value"))) {
    return false;
  }
  for (const Json& entry : env) {
    if (string_member(entry, "name").starts_with("OTEL_")) return true;
  }
  return false;
}

// The init containers and volumes spec's source needs are there (not taken out by hand since).
bool has_installer(const Json& deployment, const InstrumentationSpec& spec) {
  const Json& pod = member_at(deployment, {"spec", "template", "spec"});
  if (find_named(member(pod, "initContainers"), kInitContainerName) == npos) return false;
  const std::string_view copy = spec.source == PackageSource::wheelhouse ? kWheelhouseContainerName
                                : spec.source == PackageSource::prebuilt ? kPrebuiltContainerName
                                                                         : std::string_view();
  if (!copy.empty() && find_named(member(pod, "initContainers"), copy) == npos) return false;
  for (const Json& volume : installer_volumes(spec)) {
    if (find_named(member(pod, "volumes"), string_member(volume, "name")) == npos) return false;
  }
  return true;
}

// Whether the installer still runs the app's image when it is meant to: a new app image since
// (a new release, maybe a new Python) needs the packages installed again, for that Python.
bool init_image_follows_app(const Json& deployment, const InstrumentationSpec& spec) {
  if (!spec.init_image.empty()) return true;
  const Json& pod = member_at(deployment, {"spec", "template", "spec"});
  const size_t init = find_named(member(pod, "initContainers"), kInitContainerName);
  const auto record = read_env_record(deployment);
  if (init == npos || !record) return false;
  const size_t app = find_named(member(pod, "containers"), record->container);
  return app != npos && string_member(pod["containers"][app], "image") ==
                            string_member(pod["initContainers"][init], "image");
}

}  // namespace

State detect_state(const Json& deployment, const InstrumentationSpec& spec) {
  if (instrumented_by_us(deployment)) {
    const std::string hash =
        string_member(member(member(deployment, "metadata"), "annotations"), kAnnotationSpecHash);
    if (hash != spec.hash()) return State::outdated;
    if (spec.injector == Injector::operator_) {
      return injected_by_operator(deployment) && asks_operator(deployment) ? State::current
                                                                           : State::outdated;
    }
    return has_installer(deployment, spec) && init_image_follows_app(deployment, spec)
               ? State::current
               : State::outdated;
  }
  const Json& pod = member_at(deployment, {"spec", "template", "spec"});
  for (const Json& container : member(pod, "containers")) {
    if (has_poc_env(container)) return State::poc_partial;
  }
  return State::not_instrumented;
}

std::string pick_container(const Json& deployment, const InstrumentationSpec& spec) {
  const Json& containers = pod_spec(deployment)["containers"];
  if (!spec.container.empty()) {
    if (find_named(containers, spec.container) != npos) return spec.container;
    throw Error(ExitCode::usage, fmt::format("{} has no container named '{}' (containers: {})",
                                             deployment_label(deployment), spec.container,
                                             container_names(containers)));
  }
  if (containers.size() == 1) return string_member(containers[0], "name");
  // Instrumented before, with one container then: a sidecar added since changes nothing.
  if (const auto record = read_env_record(deployment);
      record && find_named(containers, record->container) != npos) {
    return record->container;
  }
  throw Error(
      ExitCode::usage,
      fmt::format("{} has {} containers ({}): name the application container in the "
                  "service's `container` setting",
                  deployment_label(deployment), containers.size(), container_names(containers)));
}

}  // namespace cxtm::instrument
