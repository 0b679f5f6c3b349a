#include "rollout/template_pods.h"

#include <algorithm>

namespace cxtm::rollout {
namespace {

constexpr const char* kHashLabel = "pod-template-hash";

bool owned_by(const Json& object, const std::string& uid) {
  const Json& references = member_at(object, {"metadata", "ownerReferences"});
  if (!references.is_array()) return false;
  return std::any_of(references.begin(), references.end(), [&](const Json& reference) {
    return reference.is_object() && reference.value("uid", "") == uid;
  });
}

}  // namespace

std::optional<PodLabel> deployment_template_label(const Json& deployment,
                                                  const std::vector<Json>& replica_sets) {
  const std::string uid = string_member(member(deployment, "metadata"), "uid");
  const Json& wanted = member_at(deployment, {"spec", "template"});
  for (const Json& replica_set : replica_sets) {
    if (!owned_by(replica_set, uid)) continue;
    Json pod_template = member_at(replica_set, {"spec", "template"});
    const Json& labels = member_at(pod_template, {"metadata", "labels"});
    const auto hash = labels.find(kHashLabel);
    if (hash == labels.end() || !hash->is_string()) continue;
    const std::string value = hash->get<std::string>();
    pod_template["metadata"]["labels"].erase(kHashLabel);
    if (same_json(pod_template, wanted)) return PodLabel{kHashLabel, value};
  }
  return std::nullopt;
}

std::optional<PodLabel> daemonset_template_label(const Json& daemon_set) {
  const Json& annotations = member_at(daemon_set, {"metadata", "annotations"});
  const auto generation = annotations.find("deprecated.daemonset.template.generation");
  if (generation == annotations.end() || !generation->is_string()) return std::nullopt;
  return PodLabel{"pod-template-generation", generation->get<std::string>()};
}

std::optional<PodLabel> statefulset_template_label(const Json& stateful_set) {
  const Json& status = member(stateful_set, "status");
  const auto revision = status.find("updateRevision");
  if (revision == status.end() || !revision->is_string() || revision->get<std::string>().empty()) {
    return std::nullopt;
  }
  return PodLabel{"controller-revision-hash", revision->get<std::string>()};
}

std::string pod_selector(const Json& workload, const std::optional<PodLabel>& extra) {
  std::string selector;
  const Json& labels = member_at(workload, {"spec", "selector", "matchLabels"});
  for (const auto& [key, value] : labels.items()) {
    if (!value.is_string()) continue;
    if (!selector.empty()) selector += ',';
    selector += key + "=" + value.get<std::string>();
  }
  if (extra) selector += (selector.empty() ? "" : ",") + extra->key + "=" + extra->value;
  return selector;
}

std::vector<Json> live_pods(std::vector<Json> pods) {
  std::erase_if(
      pods, [](const Json& pod) { return member(pod, "metadata").contains("deletionTimestamp"); });
  return pods;
}

}  // namespace cxtm::rollout
