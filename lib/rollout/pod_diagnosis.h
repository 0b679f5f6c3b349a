#pragma once
// Why a pod is not ready, read from its status the way an engineer reads `kubectl describe`.
// Pure: pod JSON in, facts out.

#include <optional>
#include <string>

#include "core/json.h"

namespace cxtm::rollout {

struct PodProblem {
  std::string pod;
  std::string node;       // empty while unscheduled
  std::string container;  // the container at fault; empty for pod-level causes
  bool init_container = false;
  std::string reason;  // CrashLoopBackOff, ImagePullBackOff, Unschedulable, Error, ...
  std::string detail;  // termination message, scheduler message, pull error
  int restarts = 0;
  std::optional<int> exit_code;  // of the last termination, when there was one
  bool definite = false;         // will not heal by waiting (bad image name, missing config, ...)

  // One line: "otel-collector-x (node-1): CrashLoopBackOff, 5 restarts, last exit 1: detail".
  std::string summary() const;
};

// The problem that keeps this pod from being ready, or nullopt when it is ready (or merely
// starting with nothing wrong yet).
std::optional<PodProblem> diagnose_pod(const Json& pod);

// True when the pod's Ready condition is True.
bool pod_ready(const Json& pod);

}  // namespace cxtm::rollout
