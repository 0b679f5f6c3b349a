#include "rollout/unscheduled.h"

#include <fmt/core.h>

#include "rollout/node_fit.h"

namespace cxtm::rollout {

std::string explain_unscheduled(kube::KubeClient& kube, const Json& daemon_set) {
  std::vector<Json> nodes;
  try {
    nodes = kube.list("nodes", "", "");
  } catch (const kube::KubeError& error) {
    return fmt::format("the nodes could not be listed to say why ({})", error.what());
  }
  if (nodes.empty()) return "the cluster has no nodes";
  const Json pod_spec = daemon_set.value("/spec/template/spec"_json_pointer, Json::object());
  const auto exclusions = excluded_nodes(pod_spec, nodes);
  if (exclusions.empty()) return "every node would take it; the controller has not placed it yet";
  return fmt::format("{} of {} nodes left out: {}", exclusions.size(), nodes.size(),
                     describe_exclusions(exclusions));
}

}  // namespace cxtm::rollout
