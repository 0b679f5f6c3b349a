#pragma once
// Which nodes a DaemonSet's pods may run on, and why a node is left out, as the DaemonSet
// controller decides it: the pod's node selector and required node affinity must match the
// node's labels, and every NoSchedule or NoExecute taint must be tolerated, counting the
// tolerations the controller adds to every daemon pod (not-ready and unreachable NoExecute,
// the pressure and unschedulable NoSchedule taints). A node that is not Ready carries the
// not-ready taint and is named as not ready. Pure.
//
// The Kubernetes API double decides the same in its own code (test/fixtures/kube_scheduling):
// the two are kept apart on purpose, so that the double checks the tool rather than agrees
// with it.

#include <optional>
#include <string>
#include <vector>

#include "core/json.h"

namespace cxtm::rollout {

struct NodeExclusion {
  std::string node;
  std::string reason;  // "taint dedicated=gpu:NoSchedule not tolerated", "not ready", ...
};

// Why a pod with pod_spec (a DaemonSet's template spec) would not run on node; nullopt when
// it would.
std::optional<std::string> why_not_on(const Json& pod_spec, const Json& node);

// The nodes (of a NodeList's items) the DaemonSet's pods leave out, in the nodes' order.
std::vector<NodeExclusion> excluded_nodes(const Json& pod_spec, const std::vector<Json>& nodes);

// "node-a (taint x=y:NoSchedule not tolerated), node-b (not ready)"; at most `shown` nodes
// named, then "and N more".
std::string describe_exclusions(const std::vector<NodeExclusion>& exclusions, size_t shown = 5);

}  // namespace cxtm::rollout
