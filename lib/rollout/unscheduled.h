#pragma once
// Why a DaemonSet runs on no node (or not on some), read from the cluster's nodes: the words
// `collector deploy` and `validate` give a user whose collector has nowhere to run.

#include <string>

#include "core/json.h"
#include "kube/kube_client.h"

namespace cxtm::rollout {

// "the cluster has no nodes", or "every node is left out: a (taint ...), b (not ready)"; when
// the nodes cannot be listed (no `list nodes` right), says so instead of guessing.
std::string explain_unscheduled(kube::KubeClient& kube, const Json& daemon_set);

// What to change so the collector runs on the nodes left out.
inline constexpr std::string_view kCollectorPlacementRemedy =
    "let the collector run there: add the nodes' taints to collector.tolerations (or widen "
    "collector.node_selector) in the config, then cxtm-o11y collector deploy";

}  // namespace cxtm::rollout
