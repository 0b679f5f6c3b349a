#pragma once
// Waiting for a DaemonSet, Deployment or StatefulSet to roll out, as `kubectl rollout status` does,
// judged on the pods of the current template only (rollout/template_pods.h): pods of earlier
// templates, and any pod on its way out, neither make a rollout look done nor make it fail. The
// wait ends early on pods that will not heal and on a Deployment that gave up
// (ProgressDeadlineExceeded); reads that fail in passing are asked again until the wait's deadline.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/duration.h"
#include "core/error.h"
#include "core/json.h"
#include "core/time_source.h"
#include "kube/kube_client.h"
#include "print/reporter.h"
#include "rollout/pod_diagnosis.h"
#include "rollout/template_pods.h"

namespace cxtm::rollout {

struct RolloutState {
  bool complete = false;
  bool observed = false;  // the controller has seen the latest spec (observedGeneration)
  int desired = 0;
  int updated = 0;    // pods of the current template
  int ready = 0;      // of them, ready
  int available = 0;  // of them, available
  int old = 0;        // pods of earlier templates still counted (not terminating)
  // The Deployment's controller gave up: Progressing False, ProgressDeadlineExceeded.
  std::optional<std::string> deadline_exceeded;
  // A DaemonSet whose controller found no node for its pods (taints, node selector, no nodes):
  // as good as failed, though `kubectl rollout status` calls 0 of 0 done.
  bool scheduled_nowhere = false;
  std::string progress;  // "1/2 pods ready, 2/2 updated, 1 old"
};

// A StatefulSet whose rollout halted on a pod that never became Ready keeps that pod after its
// template is put back: its controller waits for the pod to be Ready before replacing it, and
// Kubernetes documents deleting it by hand. With before the StatefulSet as it was before the
// template went back, deletes its update revision's pods that are not Ready and returns their
// names; for any other workload, or a StatefulSet with none, does nothing.
std::vector<std::string> delete_halted_pods(kube::KubeClient& kube, const kube::ObjectRef& workload,
                                            const Json& before);

// Pure: the rollout state of a DaemonSet or Deployment from its metadata and status. ready is
// the number of the current template's pods that are ready when they were looked at
// (current_ready), else what the status counts.
RolloutState rollout_state(const Json& workload, std::optional<int> current_ready = std::nullopt);

enum class RolloutOutcome {
  complete,
  failed,      // pods that will not heal, the progress deadline passed, or no node to run on
  timed_out,   // still under way at the wait's deadline
  gone,        // the workload was deleted
  unobserved,  // the API server could not be read at the deadline: state unknown
};

struct RolloutResult {
  RolloutOutcome outcome = RolloutOutcome::timed_out;
  RolloutState last;
  std::vector<PodProblem> problems;  // why current pods are not ready, when not complete
  std::string read_error;            // unobserved: the last failed read
  ExitCode read_error_code = ExitCode::ok;
  Duration waited{0};

  // One line: why it did not complete (the first pod problem, the deadline, the progress).
  std::string cause() const;
};

struct WaitOptions {
  Duration timeout = std::chrono::minutes(5);
  Duration poll_interval = std::chrono::seconds(2);
  std::function<bool()> interrupted;  // checked between polls; true stops the wait
  TimeSource* time = &system_time();  // measures the wait (its pauses are kube.await_change's)
};

// Looks until the rollout completes, fails, the workload disappears, or the timeout: again after
// each change the client sees (kube.await_change), at the latest after poll_interval. Progress
// goes to reporter as "<kind>/<name>: <progress> (<elapsed>)". Reads that fail in passing are
// retried until the deadline (then: unobserved); a refusal (403, ...) is thrown.
RolloutResult wait_for_rollout(kube::KubeClient& kube, const kube::ObjectRef& workload,
                               const WaitOptions& options, print::Reporter& reporter);

}  // namespace cxtm::rollout
