#include <doctest/doctest.h>

#include "rollout/pod_diagnosis.h"
#include "rollout/rollout.h"

namespace test_rollout_pod_diagnosis {

using cxtm::Json;
using namespace cxtm::rollout;

namespace {

Json pod(const Json& status, const std::string& node = "node-1") {
  return Json{{"metadata", {{"name", "otel-collector-abcde"}}},
              {"spec", {{"nodeName", node}}},
              {"status", status}};
}

Json not_ready() {
  return Json::array({{{"type", "Ready"}, {"status", "False"}}});
}

}  // namespace

TEST_SUITE("rollout/pod_diagnosis") {
  TEST_CASE("a ready pod has no problem") {
    const Json ready =
        pod({{"phase", "Running"}, {"conditions", {{{"type", "Ready"}, {"status", "True"}}}}});
    CHECK(pod_ready(ready));
    CHECK_FALSE(diagnose_pod(ready));
  }

  TEST_CASE("CrashLoopBackOff names the last exit code and termination message") {
    const Json crashing =
        pod({{"phase", "Running"},
             {"conditions", not_ready()},
             {"containerStatuses",
              {{{"name", "otel-collector"},
                {"restartCount", 5},
                {"state",
                 {{"waiting", {{"reason", "CrashLoopBackOff"}, {"message", "back-off 5m0s"}}}}},
                {"lastState",
                 {{"terminated",
                   {{"exitCode", 1},
                    {"reason", "Error"},
                    {"message", "'check_interval' must be greater than zero"}}}}}}}}});
    const auto problem = diagnose_pod(crashing);
    REQUIRE(problem);
    CHECK(problem->reason == "CrashLoopBackOff");
    CHECK(problem->definite);
    CHECK(problem->exit_code == 1);
    CHECK(problem->summary() ==
          "otel-collector-abcde (node-1) container otel-collector: CrashLoopBackOff, 5 restarts, "
          "last exit code 1: 'check_interval' must be greater than zero");
  }

  TEST_CASE("a young crash loop is not yet definite") {
    const Json crashing = pod({{"conditions", not_ready()},
                               {"containerStatuses",
                                {{{"name", "c"},
                                  {"restartCount", 1},
                                  {"state", {{"waiting", {{"reason", "CrashLoopBackOff"}}}}}}}}});
    CHECK_FALSE(diagnose_pod(crashing)->definite);
  }

  TEST_CASE("Pending names the scheduler's reason") {
    const Json pending = pod({{"phase", "Pending"},
                              {"conditions",
                               {{{"type", "PodScheduled"},
                                 {"status", "False"},
                                 {"reason", "Unschedulable"},
                                 {"message", "0/2 nodes are available: 2 Insufficient memory."}}}}},
                             "");
    const auto problem = diagnose_pod(pending);
    REQUIRE(problem);
    CHECK(problem->summary() ==
          "otel-collector-abcde: Unschedulable: 0/2 nodes are available: 2 Insufficient memory.");
  }

  TEST_CASE("ImagePullBackOff carries the pull error") {
    const Json pulling = pod({{"conditions", not_ready()},
                              {"containerStatuses",
                               {{{"name", "c"},
                                 {"restartCount", 0},
                                 {"state",
                                  {{"waiting",
                                    {{"reason", "ImagePullBackOff"},
                                     {"message", "Back-off pulling image \"x:0.0\""}}}}}}}}});
    const auto problem = diagnose_pod(pulling);
    CHECK(problem->reason == "ImagePullBackOff");
    CHECK(problem->detail == "Back-off pulling image \"x:0.0\"");
    CHECK_FALSE(problem->definite);
  }

  TEST_CASE("a failed init container is the cause, not the waiting app container") {
    const Json init_failed =
        pod({{"phase", "Pending"},
             {"conditions", not_ready()},
             {"initContainerStatuses",
              {{{"name", "otel-install"},
                {"restartCount", 3},
                {"state", {{"waiting", {{"reason", "CrashLoopBackOff"}}}}},
                {"lastState", {{"terminated", {{"exitCode", 1}, {"reason", "Error"}}}}}}}},
             {"containerStatuses",
              {{{"name", "app"}, {"state", {{"waiting", {{"reason", "PodInitializing"}}}}}}}}});
    const auto problem = diagnose_pod(init_failed);
    REQUIRE(problem);
    CHECK(problem->init_container);
    CHECK(problem->container == "otel-install");
    CHECK(problem->definite);
  }

  TEST_CASE("a pod still creating its containers has no problem yet") {
    const Json starting =
        pod({{"conditions", not_ready()},
             {"containerStatuses",
              {{{"name", "c"}, {"state", {{"waiting", {{"reason", "ContainerCreating"}}}}}}}}});
    CHECK_FALSE(diagnose_pod(starting));
  }
}

TEST_SUITE("rollout/rollout") {
  TEST_CASE("a DaemonSet is rolled out when every desired pod is updated and available") {
    Json ds = {{"kind", "DaemonSet"},
               {"metadata", {{"generation", 2}}},
               {"spec", {{"selector", {{"matchLabels", {{"app", "a"}, {"tier", "t"}}}}}}},
               {"status",
                {{"observedGeneration", 2},
                 {"desiredNumberScheduled", 2},
                 {"updatedNumberScheduled", 2},
                 {"numberReady", 2},
                 {"numberAvailable", 2}}}};
    CHECK(rollout_state(ds).complete);
    CHECK(pod_selector(ds) == "app=a,tier=t");
    ds["status"]["numberAvailable"] = 1;
    CHECK_FALSE(rollout_state(ds).complete);
    CHECK(rollout_state(ds).progress == "2/2 pods ready, 2/2 updated");
    ds["status"]["numberAvailable"] = 2;
    ds["metadata"]["generation"] = 3;
    CHECK_FALSE(rollout_state(ds).complete);
    CHECK_FALSE(rollout_state(ds).observed);
  }

  TEST_CASE("a Deployment is rolled out when no old pods remain") {
    Json deployment = {{"kind", "Deployment"},
                       {"metadata", {{"generation", 1}}},
                       {"spec", {{"replicas", 2}}},
                       {"status",
                        {{"observedGeneration", 1},
                         {"replicas", 3},
                         {"updatedReplicas", 2},
                         {"readyReplicas", 3},
                         {"availableReplicas", 2}}}};
    CHECK_FALSE(rollout_state(deployment).complete);
    deployment["status"]["replicas"] = 2;
    CHECK(rollout_state(deployment).complete);
  }
}

}  // namespace test_rollout_pod_diagnosis
