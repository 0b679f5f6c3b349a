#pragma once
// Which pods run a workload's current pod template. During a rollout the pods of earlier
// templates stay (Ready until the new ones are, then Terminating for their grace period); only
// the current template's pods say whether the change works. Their controller labels them: a
// Deployment's pods carry their ReplicaSet's pod-template-hash, a DaemonSet's the template
// generation the API server counts in an annotation, a StatefulSet's its update revision. Pure.

#include <optional>
#include <string>
#include <vector>

#include "core/json.h"

namespace cxtm::rollout {

// A label key and value.
struct PodLabel {
  std::string key;
  std::string value;
};

// The pod-template-hash of the ReplicaSet (among replica_sets) that the Deployment's controller
// made for its current template: owned by the Deployment, with the same template but for that
// label. nullopt when there is none yet.
std::optional<PodLabel> deployment_template_label(const Json& deployment,
                                                  const std::vector<Json>& replica_sets);

// The pod-template-generation of the DaemonSet's current template; nullopt when the API server
// did not count it.
std::optional<PodLabel> daemonset_template_label(const Json& daemon_set);

// The controller-revision-hash of the StatefulSet's current template (status.updateRevision);
// nullopt before its controller has seen it.
std::optional<PodLabel> statefulset_template_label(const Json& stateful_set);

// "k=v,k2=v2" from a workload's spec.selector.matchLabels, with `extra` added when given.
std::string pod_selector(const Json& workload, const std::optional<PodLabel>& extra = {});

// The pods that are not on their way out (no deletionTimestamp).
std::vector<Json> live_pods(std::vector<Json> pods);

}  // namespace cxtm::rollout
