#include "instrument/transform.h"

#include <fmt/core.h>

#include <array>

#include "core/error.h"
#include "instrument/env_merge.h"
#include "instrument/installer.h"
#include "instrument/object_edit.h"
#include "instrument/operator_injection.h"
#include "instrument/owned.h"
#include "instrument/python_runtime.h"

namespace cxtm::instrument {
namespace {

// Where the API server writes new members (Go field order), for objects whose keys are not
// sorted the way kubectl prints them.
constexpr std::array<std::string_view, 2> kAfterVolumes = {"initContainers", "containers"};
constexpr std::array<std::string_view, 1> kAfterInitContainers = {"containers"};
constexpr std::array<std::string_view, 16> kAfterEnv = {"resources",
                                                        "resizePolicy",
                                                        "restartPolicy",
                                                        "volumeMounts",
                                                        "volumeDevices",
                                                        "livenessProbe",
                                                        "readinessProbe",
                                                        "startupProbe",
                                                        "lifecycle",
                                                        "terminationMessagePath",
                                                        "terminationMessagePolicy",
                                                        "imagePullPolicy",
                                                        "securityContext",
                                                        "stdin",
                                                        "stdinOnce",
                                                        "tty"};
constexpr std::array<std::string_view, 12> kAfterVolumeMounts = {"volumeDevices",
                                                                 "livenessProbe",
                                                                 "readinessProbe",
                                                                 "startupProbe",
                                                                 "lifecycle",
                                                                 "terminationMessagePath",
                                                                 "terminationMessagePolicy",
                                                                 "imagePullPolicy",
                                                                 "securityContext",
                                                                 "stdin",
                                                                 "stdinOnce",
                                                                 "tty"};

// The server-owned members of metadata; a backup without them can be compared and replayed.
constexpr std::array<std::string_view, 6> kServerMetadata = {
    "managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink"};
// Set by the Deployment controller on every rollout: says nothing about the Deployment itself.
constexpr std::string_view kRevisionAnnotation = "deployment.kubernetes.io/revision";

constexpr std::array<std::string_view, 3> kDeploymentAnnotations = {
    kAnnotationInstrumented, kAnnotationVersion, kAnnotationSpecHash};

void require_spec(const InstrumentationSpec& spec, const std::string& where) {
  const auto missing = [&](std::string_view what) {
    return Error(ExitCode::usage, fmt::format("{}: no {} to instrument with", where, what));
  };
  if (spec.service_name.empty()) throw missing("service name");
  if (spec.otlp_endpoint.empty()) throw missing("OTLP endpoint");
  if (spec.injector == Injector::operator_) {
    if (spec.operator_image.empty()) throw missing("Operator image");
  } else if (spec.packages.lock.empty()) {
    throw missing("Python packages");
  }
}

// "ConfigMap a, Secret b": what the container's envFrom reads.
std::string env_from_sources(const Json& container) {
  std::string sources;
  for (const Json& source : member(container, "envFrom")) {
    const auto add = [&](std::string_view kind, const Json& ref) {
      sources +=
          fmt::format("{}{} {}", sources.empty() ? "" : ", ", kind, string_member(ref, "name"));
    };
    if (const Json& ref = member(source, "configMapRef"); ref.is_object()) add("ConfigMap", ref);
    if (const Json& ref = member(source, "secretRef"); ref.is_object()) add("Secret", ref);
  }
  return sources;
}

// Refuses a mount at the volume's path that is not the tool's: the pod would be invalid.
void require_free_mount_path(const Json& pod, const std::string& where) {
  for (std::string_view list : {"initContainers", "containers"}) {
    for (const Json& container : member(pod, list)) {
      for (const Json& mount : member(container, "volumeMounts")) {
        std::string path = string_member(mount, "mountPath");
        while (path.size() > 1 && path.back() == '/') path.pop_back();
        if (path == kMountPath) {
          throw Error(ExitCode::usage,
                      fmt::format("{}: container {} already mounts volume {} at {}", where,
                                  string_member(container, "name"), string_member(mount, "name"),
                                  kMountPath));
        }
      }
    }
  }
}

// Instruments a Deployment that has none of the tool's parts with the tool's installer, in its
// container app_name.
Transformed apply_installer(Json deployment, const std::string& app_name,
                            const InstrumentationSpec& spec, const std::string& tool_version,
                            Force force, std::vector<std::string> warnings) {
  const std::string label = deployment_label(deployment);
  const std::string where = fmt::format("{}, container {}", label, app_name);
  Json& template_ = deployment["spec"]["template"];
  Json& pod = template_["spec"];
  require_free_mount_path(pod, where);
  Json& app = pod["containers"][find_named(pod["containers"], app_name)];

  PythonRuntime runtime = python_runtime(app, where);
  MergedEnv merged = merge_env(member(app, "env"), spec,
                               {.deployment = string_member(member(deployment, "metadata"), "name"),
                                .container = app_name,
                                .image = string_member(app, "image")},
                               runtime.env, force, where);
  for (auto& warning : merged.warnings) warnings.push_back(std::move(warning));
  for (auto& warning : runtime.untraced) warnings.push_back(std::move(warning));
  for (auto& warning : runtime.warnings) warnings.push_back(std::move(warning));

  if (const std::string sources = env_from_sources(app); !sources.empty()) {
    warnings.push_back(fmt::format(
        "{}: envFrom ({}) cannot be inspected: a variable there that the tool also sets is "
        "overridden (env wins over envFrom), so a PYTHONPATH there is lost; other OTEL_* keys "
        "there (a signal-specific endpoint, say) still apply",
        where, sources));
  }
  Json inits = installer_containers(spec, pod, app, where);
  EnvRecord record{.container = app_name,
                   .env = std::move(merged.original),
                   .set = owned_entries(merged.env),
                   .image = string_member(app, "image")};

  ensure_member(app, "env", Json::array(), kAfterEnv) = std::move(merged.env);
  ensure_member(app, "volumeMounts", Json::array(), kAfterVolumeMounts)
      .push_back({{"mountPath", kMountPath}, {"name", kVolumeName}, {"readOnly", true}});
  Json& volumes = ensure_member(pod, "volumes", Json::array(), kAfterVolumes);
  for (Json& volume : installer_volumes(spec)) volumes.push_back(std::move(volume));
  // After the app's own init containers: they may prepare what the app (and pip) needs.
  Json& init_containers = ensure_member(pod, "initContainers", Json::array(), kAfterInitContainers);
  for (Json& init : inits) init_containers.push_back(std::move(init));

  annotations_of(template_)[std::string(kAnnotationOriginalEnv)] = env_record_text(record);
  Json& annotations = annotations_of(deployment);
  annotations[std::string(kAnnotationInstrumented)] = "true";
  annotations[std::string(kAnnotationVersion)] = tool_version;
  annotations[std::string(kAnnotationSpecHash)] = spec.hash();
  return Transformed{std::move(deployment), std::move(warnings), std::move(runtime.handled)};
}

// Instruments a Deployment that has none of the tool's parts, in its container app_name, the
// way spec says.
Transformed apply(Json deployment, const std::string& app_name, const InstrumentationSpec& spec,
                  const std::string& tool_version, Force force, std::vector<std::string> warnings) {
  if (spec.injector == Injector::operator_) {
    Transformed asked = ask_operator(std::move(deployment), app_name, spec, tool_version);
    warnings.insert(warnings.end(), asked.warnings.begin(), asked.warnings.end());
    asked.warnings = std::move(warnings);
    return asked;
  }
  return apply_installer(std::move(deployment), app_name, spec, tool_version, force,
                         std::move(warnings));
}

}  // namespace

Transformed instrument_deployment(const Json& deployment, const InstrumentationSpec& spec,
                                  const std::string& tool_version, Force force) {
  const std::string label = deployment_label(deployment);
  pod_spec(deployment);
  require_spec(spec, label);
  if (instrumented_by_us(deployment)) {
    // An upgrade equals instrumenting the Deployment as it would be without the earlier run.
    return apply(remove_owned(deployment), pick_container(deployment, spec), spec, tool_version,
                 force, {});
  }
  std::vector<std::string> warnings;
  if (const auto parts = owned_parts(deployment); !parts.empty()) {
    std::string names;
    for (const auto& part : parts) names += (names.empty() ? "" : ", ") + part;
    if (force == Force::no) {
      throw Error(ExitCode::conflict,
                  fmt::format("{} has {}, not made by cxtm-o11y (no {} annotation); --force "
                              "replaces them",
                              label, names, kAnnotationSpecHash));
    }
    warnings.push_back(
        fmt::format("{}: replaced {}, not made by cxtm-o11y (--force)", label, names));
  }
  return apply(remove_owned_parts(deployment), pick_container(deployment, spec), spec, tool_version,
               force, std::move(warnings));
}

Json restore_deployment(const Json& current, const Json& original) {
  const Json& template_ = member(member(original, "spec"), "template");
  if (!template_.is_object()) {
    throw Error(ExitCode::usage,
                fmt::format("the backup of {} has no spec.template", deployment_label(original)));
  }
  Json restored = current;
  restored["spec"]["template"] = template_;
  const Json& original_annotations = member(member(original, "metadata"), "annotations");
  for (std::string_view key : kDeploymentAnnotations) {
    if (const Json& value = member(original_annotations, key); !value.is_null()) {
      annotations_of(restored)[std::string(key)] = value;
    } else if (Json& metadata = restored["metadata"]; metadata.contains("annotations")) {
      metadata["annotations"].erase(std::string(key));
      drop_if_empty(metadata, "annotations");
    }
  }
  return restored;
}

Json strip_for_backup(const Json& deployment) {
  Json stripped = deployment;
  if (!stripped.is_object()) return stripped;
  stripped.erase("status");
  if (auto metadata = stripped.find("metadata");
      metadata != stripped.end() && metadata->is_object()) {
    for (std::string_view key : kServerMetadata) metadata->erase(std::string(key));
    if (auto annotations = metadata->find("annotations");
        annotations != metadata->end() && annotations->is_object()) {
      annotations->erase(std::string(kRevisionAnnotation));
      drop_if_empty(*metadata, "annotations");
    }
  }
  return stripped;
}

}  // namespace cxtm::instrument
