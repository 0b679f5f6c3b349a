#include "instrument/owned.h"

#include <fmt/core.h>

#include "core/error.h"
#include "instrument/env_merge.h"
#include "instrument/object_edit.h"
#include "instrument/operator_injection.h"
#include "instrument/transform.h"
#include "kube/object_ref.h"

namespace cxtm::instrument {
namespace {

void remove_annotation(Json& object, std::string_view key) {
  if (!object.is_object()) return;
  const auto metadata = object.find("metadata");
  if (metadata == object.end() || !metadata->is_object()) return;
  const auto annotations = metadata->find("annotations");
  if (annotations == metadata->end() || !annotations->is_object()) return;
  annotations->erase(std::string(key));
  drop_if_empty(*metadata, "annotations");
  // A pod template that had no metadata before the tool's record went into it has none again
  // (an empty one means the same to Kubernetes, but would not compare equal).
  drop_if_empty(object, "metadata");
}

}  // namespace

std::string deployment_label(const Json& deployment) {
  const Json& metadata = member(deployment, "metadata");
  const std::string kind = string_member(deployment, "kind");
  return kube::ObjectRef{.kind = kind.empty() ? "Deployment" : kind,
                         .namespace_ = string_member(metadata, "namespace"),
                         .name = string_member(metadata, "name")}
      .describe();
}

const Json& pod_spec(const Json& deployment) {
  const Json& spec = member_at(deployment, {"spec", "template", "spec"});
  if (!member(spec, "containers").is_array() || member(spec, "containers").empty()) {
    throw Error(ExitCode::usage, fmt::format("{} has no containers in spec.template.spec",
                                             deployment_label(deployment)));
  }
  return spec;
}

std::optional<EnvRecord> read_env_record(const Json& deployment) {
  const std::string text = string_member(template_annotations(deployment), kAnnotationOriginalEnv);
  if (text.empty()) return std::nullopt;
  const Json parsed = Json::parse(text, nullptr, false);
  if (!parsed.is_object() || !member(parsed, "env").is_array()) return std::nullopt;
  const Json& set = member(parsed, "set");
  return EnvRecord{string_member(parsed, "container"), parsed["env"],
                   set.is_array() ? set : Json(nullptr), string_member(parsed, "image")};
}

std::string env_record_text(const EnvRecord& record) {
  Json text{{"container", record.container}, {"env", record.env}};
  if (!record.set.is_null()) text["set"] = record.set;
  if (!record.image.empty()) text["image"] = record.image;
  return text.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace);
}

bool instrumented_by_us(const Json& deployment) {
  const Json& annotations = member(member(deployment, "metadata"), "annotations");
  return !member(annotations, kAnnotationSpecHash).is_null() ||
         !member(template_annotations(deployment), kAnnotationOriginalEnv).is_null();
}

Json tool_markers(const Json& deployment) {
  const auto ours = [](const Json& annotations) {
    Json found = Json::object();
    if (!annotations.is_object()) return found;
    for (const auto& [key, value] : annotations.items()) {
      if (key.starts_with("cxtm-o11y.io/")) found[key] = value;
    }
    return found;
  };
  return {{"deployment", ours(member(member(deployment, "metadata"), "annotations"))},
          {"template", ours(template_annotations(deployment))}};
}

std::vector<std::string> owned_parts(const Json& deployment) {
  std::vector<std::string> parts;
  const Json& spec = member_at(deployment, {"spec", "template", "spec"});
  for (std::string_view init : kOwnedInitContainers) {
    if (find_named(member(spec, "initContainers"), init) != npos) {
      parts.push_back(fmt::format("init container {}", init));
    }
  }
  for (std::string_view volume : kOwnedVolumes) {
    if (find_named(member(spec, "volumes"), volume) != npos) {
      parts.push_back(fmt::format("volume {}", volume));
    }
  }
  for (const Json& container : member(spec, "containers")) {
    if (find_named(member(container, "volumeMounts"), kVolumeName) != npos) {
      parts.push_back(fmt::format("volume mount {} in container {}", kVolumeName,
                                  string_member(container, "name")));
    }
  }
  return parts;
}

Json remove_owned_parts(const Json& deployment) {
  Json out = deployment;
  for (std::string_view key : {kAnnotationInstrumented, kAnnotationVersion, kAnnotationSpecHash}) {
    remove_annotation(out, key);
  }
  Json& template_ = out["spec"]["template"];
  remove_operator_request(template_);
  remove_annotation(template_, kAnnotationOriginalEnv);
  Json& spec = template_["spec"];
  for (std::string_view init : kOwnedInitContainers) erase_named(spec, "initContainers", init);
  for (std::string_view volume : kOwnedVolumes) erase_named(spec, "volumes", volume);
  for (Json& container : spec["containers"]) erase_named(container, "volumeMounts", kVolumeName);
  return out;
}

Undone undo_instrumentation(const Json& deployment) {
  Undone undone{remove_owned_parts(deployment), {}};
  const auto record = read_env_record(deployment);
  Json& containers = undone.deployment["spec"]["template"]["spec"]["containers"];
  if (!record) {
    if (!instrumented_by_us(deployment)) return undone;
    for (const Json& container : containers) {
      const Json owned = owned_entries(member(container, "env"));
      if (owned.empty()) continue;
      std::string names;
      for (const Json& entry : owned)
        names += (names.empty() ? "" : ", ") + string_member(entry, "name");
      undone.left_alone.push_back(fmt::format(
          "container {}: {} left as they are: the pod template's record of the app's own values "
          "({} annotation) is gone",
          string_member(container, "name"), names, kAnnotationOriginalEnv));
    }
    return undone;
  }
  const size_t app = find_named(containers, record->container);
  if (app == npos) {
    undone.left_alone.push_back(fmt::format(
        "container {}, which the tool instrumented, is gone: no environment to put back",
        record->container));
    return undone;
  }
  Json& container = containers[app];
  auto unmerged = unmerge_env(member(container, "env"), record->env, record->set);
  if (!unmerged.env.empty() || container.contains("env")) {
    container["env"] = std::move(unmerged.env);
    drop_if_empty(container, "env");
  }
  for (auto& note : unmerged.left_alone) {
    undone.left_alone.push_back(fmt::format("container {}: {}", record->container, note));
  }
  return undone;
}

Json remove_owned(const Json& deployment) {
  return undo_instrumentation(deployment).deployment;
}

}  // namespace cxtm::instrument
