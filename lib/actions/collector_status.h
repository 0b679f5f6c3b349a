#pragma once
// `cxtm-o11y collector status`: is the collector deployed, current and ready, and if not, why.

#include <optional>
#include <string>
#include <vector>

#include "actions/context.h"
#include "core/json.h"
#include "kube/object_ref.h"
#include "rollout/pod_diagnosis.h"
#include "rollout/rollout.h"

namespace cxtm::actions {

struct CollectorPod {
  std::string name;
  std::string node;
  bool ready = false;
  std::string phase;
  int restarts = 0;
  std::optional<rollout::PodProblem> problem;
};

struct CollectorStatus {
  std::string name;
  std::string namespace_;
  bool deployed = false;        // the DaemonSet exists
  std::string image;            // as deployed
  bool image_current = false;   // equals the config's pinned image
  bool config_current = false;  // the live ConfigMap equals the rendered collector config
  bool secret_present = false;  // the token Secret exists
  rollout::RolloutState rollout;
  std::vector<CollectorPod> pods;

  bool healthy() const;
  Json to_json() const;
  // The collector's DaemonSet.
  kube::ObjectRef ref() const { return {"apps/v1", "DaemonSet", namespace_, name}; }
};

// Reads the collector's DaemonSet, ConfigMap, Secret and pods. Read-only.
CollectorStatus collector_status(Context& context);

}  // namespace cxtm::actions
