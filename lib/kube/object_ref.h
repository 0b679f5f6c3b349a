#pragma once
// Names one Kubernetes object, and the ways the tool prints that name: one function per form a
// user sees, so the same object reads the same in every message.

#include <string>

#include "core/json.h"

namespace cxtm::kube {

// api_version "v1" is the core group.
struct ObjectRef {
  std::string api_version;
  std::string kind;
  std::string namespace_;  // empty for cluster-scoped kinds
  std::string name;

  // "Deployment default/cxtm-scheduler" ("Namespace cxtm" when cluster-scoped), for messages.
  std::string describe() const;
  // "default/cxtm-scheduler": a service's workload in result lines and JSON.
  std::string namespaced_name() const;
  // "Deployment/cxtm-scheduler": the rollout's progress lines.
  std::string kind_name() const;
  // "deployment.apps/cxtm-scheduler", "configmap/x": how kubectl prints an object (-o name).
  std::string resource_name() const;
  // "deployment/cxtm-scheduler": the short form typed in the kubectl commands a remedy shows.
  std::string short_name() const;
  // "deployment.v1.apps/cxtm-scheduler": the form kubectl takes for any API group, as argument.
  std::string kubectl_name() const;

  // The reference of a full object.
  static ObjectRef of(const Json& object);
};

}  // namespace cxtm::kube
