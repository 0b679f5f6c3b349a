// The simulated DaemonSet and Deployment controllers, scheduler and kubelet, as kubectl sees
// them: pods per node or per replica, status that `kubectl rollout status` reads, the pod
// behaviours a test chooses, and pod logs (`kubectl logs`, --previous, --tail).
#include <doctest/doctest.h>

#include <set>

#include "core/json.h"
#include "fixtures/fake_kube_api_server.h"
#include "fixtures/kubectl_runner.h"

using cxtm::Json;
using cxtm::testing::FakeKubeApiServer;
using cxtm::testing::Kubectl;
using cxtm::testing::PodBehaviour;

namespace {

constexpr const char* kDaemonSet = "/apis/apps/v1/namespaces/default/daemonsets/agent";

std::string daemonset(const std::string& image = "otel/agent:1.0") {
  Json object = Json::parse(R"({"apiVersion": "apps/v1", "kind": "DaemonSet",
      "metadata": {"name": "agent"},
      "spec": {"selector": {"matchLabels": {"app": "agent"}},
        "template": {"metadata": {"labels": {"app": "agent"}},
          "spec": {"containers": [{"name": "agent"}]}}}})");
  object["spec"]["template"]["spec"]["containers"][0]["image"] = image;
  return object.dump();
}

const std::string kDeployment = R"({"apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "web"},
    "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
      "template": {"metadata": {"labels": {"app": "web"}},
        "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}]}}}})";

Json pods(const Kubectl& kubectl, const std::string& selector) {
  return Json::parse(kubectl.ok({"get", "pods", "-l", selector, "-o", "json"}))["items"];
}

std::string first_pod(const Kubectl& kubectl, const std::string& selector) {
  const Json items = pods(kubectl, selector);
  REQUIRE_FALSE(items.empty());
  return items[0]["metadata"]["name"];
}

bool ready(const Json& pod) {
  for (const Json& condition : pod["status"]["conditions"]) {
    if (condition["type"] == "Ready") return condition["status"] == "True";
  }
  return false;
}

}  // namespace

TEST_SUITE("fixtures/kube_controllers") {
  TEST_CASE("a DaemonSet runs one ready pod per node, and kubectl rollout status agrees") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    kubectl.ok({"create", "-f", "-"}, daemonset());
    const Json items = pods(kubectl, "app=agent");
    REQUIRE(items.size() == 2);
    std::set<std::string> nodes;
    for (const Json& pod : items) {
      nodes.insert(pod["spec"]["nodeName"].get<std::string>());
      CHECK(ready(pod));
      CHECK(pod["status"]["phase"] == "Running");
      CHECK(pod["metadata"]["ownerReferences"][0]["kind"] == "DaemonSet");
      CHECK(pod["metadata"]["ownerReferences"][0]["controller"] == true);
      CHECK(pod["status"]["containerStatuses"][0]["image"] == "otel/agent:1.0");
    }
    CHECK(nodes == std::set<std::string>{"node-1", "node-2"});
    const Json status = (*server.get(kDaemonSet))["status"];
    CHECK(status["desiredNumberScheduled"] == 2);
    CHECK(status["currentNumberScheduled"] == 2);
    CHECK(status["updatedNumberScheduled"] == 2);
    CHECK(status["numberReady"] == 2);
    CHECK(status["numberAvailable"] == 2);
    CHECK(status["observedGeneration"] == 1);
    const std::string rollout =
        kubectl.ok({"rollout", "status", "daemonset/agent", "--timeout=20s"});
    CHECK(rollout.find("successfully rolled out") != std::string::npos);
  }

  TEST_CASE("a DaemonSet follows its nodeSelector, new nodes and template changes") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    Json pinned = Json::parse(daemonset());
    pinned["spec"]["template"]["spec"]["nodeSelector"] = {{"kubernetes.io/hostname", "node-1"}};
    kubectl.ok({"create", "-f", "-"}, pinned.dump());
    Json items = pods(kubectl, "app=agent");
    REQUIRE(items.size() == 1);
    CHECK(items[0]["spec"]["nodeName"] == "node-1");
    CHECK((*server.get(kDaemonSet))["status"]["desiredNumberScheduled"] == 1);

    kubectl.ok({"patch", "daemonset", "agent", "--type", "json", "-p",
                R"([{"op": "remove", "path": "/spec/template/spec/nodeSelector"}])"});
    server.put_object(Json::parse(R"({"apiVersion": "v1", "kind": "Node",
        "metadata": {"name": "node-3", "labels": {"kubernetes.io/hostname": "node-3"}},
        "status": {"conditions": [{"type": "Ready", "status": "True"}]}})"));
    items = pods(kubectl, "app=agent");
    CHECK(items.size() == 3);

    const std::string old_hash = items[0]["metadata"]["labels"]["controller-revision-hash"];
    kubectl.ok({"set", "image", "daemonset/agent", "agent=otel/agent:2.0"});
    items = pods(kubectl, "app=agent");
    REQUIRE(items.size() == 3);
    for (const Json& pod : items) {
      CHECK(pod["spec"]["containers"][0]["image"] == "otel/agent:2.0");
      CHECK(pod["metadata"]["labels"]["controller-revision-hash"] != old_hash);
    }
    const Json stored = *server.get(kDaemonSet);
    CHECK(stored["metadata"]["generation"] == 3);
    CHECK(stored["status"]["observedGeneration"] == 3);
    CHECK(stored["status"]["updatedNumberScheduled"] == 3);
  }

  TEST_CASE("a Deployment gets a ReplicaSet per template and its replicas, and rolls over") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    kubectl.ok({"create", "-f", "-"}, kDeployment);
    CHECK(pods(kubectl, "app=web").size() == 3);
    Json sets = Json::parse(kubectl.ok({"get", "replicasets", "-o", "json"}))["items"];
    REQUIRE(sets.size() == 1);
    const std::string first_set = sets[0]["metadata"]["name"];
    CHECK(sets[0]["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1");
    CHECK(kubectl.ok({"rollout", "status", "deployment/web", "--timeout=20s"})
              .find("successfully rolled out") != std::string::npos);

    kubectl.ok({"set", "image", "deployment/web", "web=nginx:1.26"});
    sets = Json::parse(kubectl.ok({"get", "replicasets", "-o", "json"}))["items"];
    REQUIRE(sets.size() == 2);
    for (const Json& set : sets) {
      const bool old = set["metadata"]["name"] == first_set;
      CHECK(set["spec"]["replicas"] == (old ? 0 : 3));
      CHECK(set["metadata"]["annotations"]["deployment.kubernetes.io/revision"] ==
            (old ? "1" : "2"));
    }
    const Json items = pods(kubectl, "app=web");
    REQUIRE(items.size() == 3);
    for (const Json& pod : items) CHECK(pod["spec"]["containers"][0]["image"] == "nginx:1.26");
    const Json status = (*server.get("/apis/apps/v1/namespaces/default/deployments/web"))["status"];
    CHECK(status["updatedReplicas"] == 3);
    CHECK(status["availableReplicas"] == 3);
    CHECK(status["observedGeneration"] == 2);

    // Deleting the Deployment takes its ReplicaSets and pods with it.
    kubectl.ok({"delete", "deployment", "web"});
    CHECK(pods(kubectl, "app=web").empty());
    CHECK(Json::parse(kubectl.ok({"get", "replicasets", "-o", "json"}))["items"].empty());
  }

  TEST_CASE("deleting with --cascade=orphan leaves the pods, without their owner") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    kubectl.ok({"create", "-f", "-"}, daemonset());
    kubectl.ok({"delete", "daemonset", "agent", "--cascade=orphan"});
    const Json items = pods(kubectl, "app=agent");
    REQUIRE(items.size() == 2);
    CHECK_FALSE(items[0]["metadata"].contains("ownerReferences"));
  }

  TEST_CASE("crash-looping pods: CrashLoopBackOff with the last termination, and their logs") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    server.set_pod_behaviour(
        "agent",
        PodBehaviour::crash_loop("unknown type: \"sapm\"", 1,
                                 "starting\nloading config\nError: unknown type: \"sapm\"\n"));
    kubectl.ok({"create", "-f", "-"}, daemonset());
    const Json items = pods(kubectl, "app=agent");
    REQUIRE(items.size() == 2);
    const Json& container = items[0]["status"]["containerStatuses"][0];
    CHECK_FALSE(ready(items[0]));
    CHECK(container["state"]["waiting"]["reason"] == "CrashLoopBackOff");
    CHECK(container["lastState"]["terminated"]["exitCode"] == 1);
    CHECK(container["lastState"]["terminated"]["reason"] == "Error");
    CHECK(container["lastState"]["terminated"]["message"] == "unknown type: \"sapm\"");
    CHECK(container["restartCount"].get<int>() >= 3);
    CHECK((*server.get(kDaemonSet))["status"]["numberReady"] == 0);

    const std::string pod = items[0]["metadata"]["name"];
    CHECK(kubectl.ok({"logs", pod, "--previous"}) ==
          "starting\nloading config\nError: unknown type: \"sapm\"\n");
    CHECK(kubectl.ok({"logs", pod, "--previous", "--tail=1"}) == "Error: unknown type: \"sapm\"\n");
    CHECK(kubectl.ok({"logs", pod, "--tail=2"}) ==
          "loading config\nError: unknown type: \"sapm\"\n");  // the run that just ended

    const auto rollout = kubectl.run({"rollout", "status", "daemonset/agent", "--timeout=1s"});
    CHECK(rollout.exit_code != 0);
  }

  TEST_CASE("logs: the current instance, what a test set, and the kubelet's refusals") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    kubectl.ok({"create", "-f", "-"}, daemonset());
    const std::string pod = first_pod(kubectl, "app=agent");
    CHECK(kubectl.ok({"logs", pod}) == "");
    server.set_log("default", pod, "agent", "one\ntwo\nthree\n");
    CHECK(kubectl.ok({"logs", pod}) == "one\ntwo\nthree\n");
    CHECK(kubectl.ok({"logs", pod, "-c", "agent", "--tail=2"}) == "two\nthree\n");
    CHECK(kubectl.ok({"logs", "daemonset/agent", "--tail=1"}).find("three") != std::string::npos);

    const auto previous = kubectl.run({"logs", pod, "--previous"});
    CHECK(previous.exit_code == 1);
    CHECK(previous.err.find("previous terminated container \"agent\" in pod \"" + pod +
                            "\" not found") != std::string::npos);
    const auto unknown = kubectl.run({"logs", pod, "-c", "nope"});
    CHECK(unknown.exit_code == 1);
    CHECK(unknown.err.find("container nope is not valid for pod " + pod) != std::string::npos);
  }

  TEST_CASE("image pull back-off and unschedulable pods say why, as kubectl shows them") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    server.set_pod_behaviour("agent", PodBehaviour::image_pull_backoff());
    kubectl.ok({"create", "-f", "-"}, daemonset("otel/agent:nope"));
    Json pod = pods(kubectl, "app=agent")[0];
    CHECK(pod["status"]["phase"] == "Pending");
    const Json& waiting = pod["status"]["containerStatuses"][0]["state"]["waiting"];
    CHECK(waiting["reason"] == "ImagePullBackOff");
    CHECK(waiting["message"] == "Back-off pulling image \"otel/agent:nope\"");
    const auto pulling = kubectl.run({"logs", pod["metadata"]["name"].get<std::string>()});
    CHECK(pulling.exit_code == 1);
    CHECK(pulling.err.find("is waiting to start: trying and failing to pull image") !=
          std::string::npos);

    server.set_pod_behaviour(
        "web",
        PodBehaviour::pending("Unschedulable", "0/2 nodes are available: 2 Insufficient memory."));
    kubectl.ok({"create", "-f", "-"}, kDeployment);
    pod = pods(kubectl, "app=web")[0];
    CHECK(pod["status"]["phase"] == "Pending");
    CHECK_FALSE(pod["spec"].contains("nodeName"));
    const Json& scheduled = pod["status"]["conditions"][0];
    CHECK(scheduled["type"] == "PodScheduled");
    CHECK(scheduled["status"] == "False");
    CHECK(scheduled["reason"] == "Unschedulable");
    CHECK(scheduled["message"] == "0/2 nodes are available: 2 Insufficient memory.");
    // No kubelet to ask yet: the API server answers an empty log.
    CHECK(kubectl.ok({"logs", pod["metadata"]["name"].get<std::string>()}) == "");
  }

  TEST_CASE("a failing init container keeps the pod initializing, its log is readable") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    server.set_pod_behaviour(
        "web", PodBehaviour::init_failure("install", 1, "ERROR: No matching distribution\n"));
    Json deployment = Json::parse(kDeployment);
    deployment["spec"]["replicas"] = 1;
    deployment["spec"]["template"]["spec"]["initContainers"] =
        Json::parse(R"([{"name": "install", "image": "python:3.12"}])");
    kubectl.ok({"create", "-f", "-"}, deployment.dump());
    const Json pod = pods(kubectl, "app=web")[0];
    const Json& init = pod["status"]["initContainerStatuses"][0];
    CHECK(init["state"]["waiting"]["reason"] == "CrashLoopBackOff");
    CHECK(init["lastState"]["terminated"]["exitCode"] == 1);
    CHECK(pod["status"]["containerStatuses"][0]["state"]["waiting"]["reason"] == "PodInitializing");
    const std::string name = pod["metadata"]["name"];
    CHECK(kubectl.ok({"logs", name, "-c", "install", "--previous"}) ==
          "ERROR: No matching distribution\n");
    const auto app = kubectl.run({"logs", name, "-c", "web"});
    CHECK(app.exit_code == 1);
    CHECK(app.err.find("is waiting to start: PodInitializing") != std::string::npos);
  }

  TEST_CASE("ready_after: pods turn ready once the workload has been read often enough") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    server.set_pod_behaviour("agent", PodBehaviour::ready_after(2));
    kubectl.ok({"create", "-f", "-"}, daemonset());
    const auto number_ready = [&] {
      return Json::parse(kubectl.ok({"get", "daemonset", "agent", "-o", "json"}))["status"].value(
          "numberReady", 0);
    };
    CHECK(number_ready() == 0);
    CHECK(number_ready() == 0);
    CHECK(number_ready() == 2);
    for (const Json& pod : pods(kubectl, "app=agent")) CHECK(ready(pod));
  }
}
