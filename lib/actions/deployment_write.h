#pragma once
// Writing a Deployment the tool computed from the live one (instrumented, restored): one replace
// with the resourceVersion it was read at, so no one else's change is ever lost, and kept to
// when the cluster moves meanwhile or an answer is lost on its way back:
// - 409 Conflict: read it again. When only what the tool does not depend on has changed (the
//   status, replicas, the controllers' annotations, labels: on a real cluster every status
//   write and every scaling bumps the resourceVersion), the change is computed anew from what
//   is there and written again; a change to the pod template (which the backup holds as it
//   was) or to the tool's annotations is the user's conflict, never overwritten.
// - an answer lost (5xx, no answer in time, a dropped connection): read it again; when the
//   write is there it counts as done, when nothing moved it is written again.

#include <functional>

#include "core/duration.h"
#include "core/json.h"
#include "core/time_source.h"
#include "kube/kube_client.h"

namespace cxtm::actions {

// The object to write, computed from the live Deployment.
using DeploymentChange = std::function<Json(const Json& live)>;

struct WrittenDeployment {
  Json before;   // the live Deployment the written change was computed from
  Json written;  // as the API server stored it (as read back, when its answer was lost)
  int attempts = 1;
};

// How often, and for how long, a write is tried again.
struct WriteLimits {
  int attempts = 5;
  Duration budget = std::chrono::minutes(5);  // no new attempt once this much time has gone
  TimeSource* time = &system_time();
};

// Writes change(live) over live, as above, within limits. Throws Error conflict naming what
// moved when the Deployment changed in a way the tool depends on; the last failure when the
// writes kept failing.
WrittenDeployment write_deployment(kube::KubeClient& kube, const Json& live,
                                   const DeploymentChange& change, const WriteLimits& limits);

// Pure: whether `now` differs from `read` in what the tool depends on: the pod template or the
// tool's annotations.
bool moved_under_us(const Json& read, const Json& now);

// Pure: whether `now` holds the write of `sent` over `read`: the tool's annotations as sent,
// and a new generation (the spec changed).
bool write_landed(const Json& read, const Json& sent, const Json& now);

}  // namespace cxtm::actions
