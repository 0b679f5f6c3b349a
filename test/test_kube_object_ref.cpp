#include <doctest/doctest.h>

#include "kube/object_ref.h"

namespace test_kube_object_ref {

using cxtm::kube::ObjectRef;

namespace {

const ObjectRef kDeployment{"apps/v1", "Deployment", "default", "cxtm-scheduler"};
const ObjectRef kStatefulSet{"apps/v1", "StatefulSet", "billing", "ledger"};
const ObjectRef kConfigMap{"v1", "ConfigMap", "default", "c"};
const ObjectRef kClusterRole{"rbac.authorization.k8s.io/v1", "ClusterRole", "", "r"};

}  // namespace

TEST_SUITE("kube/object_ref") {
  TEST_CASE("for messages: kind, then namespace/name") {
    CHECK(kDeployment.describe() == "Deployment default/cxtm-scheduler");
    CHECK(kClusterRole.describe() == "ClusterRole r");
    CHECK(kDeployment.namespaced_name() == "default/cxtm-scheduler");
    CHECK(kClusterRole.namespaced_name() == "r");
    CHECK(kDeployment.kind_name() == "Deployment/cxtm-scheduler");
  }

  TEST_CASE("as kubectl prints objects: lowercase kind and group, no version") {
    CHECK(kDeployment.resource_name() == "deployment.apps/cxtm-scheduler");
    CHECK(kConfigMap.resource_name() == "configmap/c");
    CHECK(kClusterRole.resource_name() == "clusterrole.rbac.authorization.k8s.io/r");
  }

  TEST_CASE("as kubectl takes them: short in remedies, fully qualified as argument") {
    // The workload's own kind: a StatefulSet's remedy must not say deployment/.
    CHECK(kDeployment.short_name() == "deployment/cxtm-scheduler");
    CHECK(kStatefulSet.short_name() == "statefulset/ledger");
    CHECK(kDeployment.kubectl_name() == "deployment.v1.apps/cxtm-scheduler");
    CHECK(kConfigMap.kubectl_name() == "configmap/c");
    CHECK(kClusterRole.kubectl_name() == "clusterrole.v1.rbac.authorization.k8s.io/r");
  }

  TEST_CASE("the reference of a full object") {
    const cxtm::Json object = {{"apiVersion", "apps/v1"},
                               {"kind", "StatefulSet"},
                               {"metadata", {{"name", "ledger"}, {"namespace", "billing"}}}};
    CHECK(ObjectRef::of(object).describe() == kStatefulSet.describe());
  }
}

}  // namespace test_kube_object_ref
