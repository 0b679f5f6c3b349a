#pragma once
// Waiting for a DaemonSet or Deployment to roll out, as `kubectl rollout status` does, but
// failing early on pods that will not heal and naming why each pod is not ready.

#include <functional>
#include <string>
#include <vector>

#include "core/duration.h"
#include "core/json.h"
#include "kube/kube_client.h"
#include "print/reporter.h"
#include "rollout/pod_diagnosis.h"

namespace cxtm::rollout {

struct RolloutState {
  bool complete = false;
  bool observed = false;  // the controller has seen the latest spec (observedGeneration)
  int desired = 0;
  int updated = 0;
  int ready = 0;
  int available = 0;
  std::string progress;  // "1/2 pods ready, 2/2 updated"
};

// Pure: the rollout state of a DaemonSet or Deployment from its metadata and status.
RolloutState rollout_state(const Json& workload);

// "k=v,k2=v2" from a workload's spec.selector.matchLabels.
std::string pod_selector(const Json& workload);

enum class RolloutOutcome { complete, failed, timed_out, gone };

struct RolloutResult {
  RolloutOutcome outcome = RolloutOutcome::timed_out;
  RolloutState last;
  std::vector<PodProblem> problems;  // why pods are not ready, when not complete
  Duration waited{0};
};

struct WaitOptions {
  Duration timeout = std::chrono::minutes(5);
  Duration poll_interval = std::chrono::seconds(2);
  std::function<bool()> interrupted;  // checked between polls; true stops the wait
};

// Polls until the rollout completes, a pod fails definitely, the workload disappears, or the
// timeout. Progress goes to reporter as "<kind>/<name>: <progress> (<elapsed>)".
RolloutResult wait_for_rollout(kube::KubeClient& kube, const kube::ObjectRef& workload,
                               const WaitOptions& options, print::Reporter& reporter);

}  // namespace cxtm::rollout
