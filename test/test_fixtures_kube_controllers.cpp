// The simulated control plane and kubelets (fixtures/kube_controllers.h) behave as a real
// cluster's do where the tool depends on it: rolling updates that keep old pods serving and then
// leave them Terminating, observedGeneration that lags, status writes that bump resourceVersion,
// progress deadlines, ReplicaSets reused on a rollback, DaemonSets that follow taints and node
// selectors, pods that fail as kubelets report it, namespaces that stay Terminating.
//
// Most cases drive the controllers round by round on a clock of their own, so what they assert
// happens at a known simulated time; the last ones go through the real kubectl.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/json.h"
#include "fixtures/fake_kube_api_server.h"
#include "fixtures/kube_controllers.h"
#include "fixtures/kube_scheduling.h"
#include "fixtures/kube_status.h"
#include "fixtures/kube_workload_controllers.h"
#include "support/kubectl_runner.h"

namespace test_fixtures_kube_controllers {

using cxtm::Json;
using cxtm::testing::FakeKubeApiServer;
using cxtm::testing::Kubectl;
using cxtm::testing::PodBehaviour;
using namespace cxtm::testing::kubefake;

namespace {

constexpr const char* kDaemonSet = "/apis/apps/v1/namespaces/default/daemonsets/agent";

const ResourceType& type(const char* api_version, const char* kind) {
  return *find_kind(api_version, kind);
}

// A cluster whose controllers run only when the test advances its clock.
struct Sim {
  ObjectStore store;
  PodLogs logs;
  Controllers controllers;
  double now = 0;

  // Runs rounds every half simulated second for `seconds`.
  void advance(double seconds) {
    for (double passed = 0; passed < seconds; passed += 0.5) {
      now += 0.5;
      controllers.run_round(store, logs, now);
    }
  }
  Json put(Json object) {
    const ResourceType& kind = *find_kind(object.value("apiVersion", ""), object.value("kind", ""));
    return store.put(kind, std::move(object));
  }
  Json deployment(const std::string& name = "web") const {
    return *store.find(type("apps/v1", "Deployment"), "default", name);
  }
  Json daemon_set(const std::string& name = "agent") const {
    return *store.find(type("apps/v1", "DaemonSet"), "default", name);
  }
  std::vector<Json> pods() const { return store.objects(type("v1", "Pod"), "default"); }
  std::vector<Json> replica_sets() const {
    return store.objects(type("apps/v1", "ReplicaSet"), "default");
  }
};

Json web(int replicas, const std::string& image = "nginx:1.25") {
  Json object = Json::parse(R"({"apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": {"name": "web", "namespace": "default"},
      "spec": {"selector": {"matchLabels": {"app": "web"}},
        "template": {"metadata": {"labels": {"app": "web"}},
          "spec": {"containers": [{"name": "web"}]}}}})");
  object["spec"]["replicas"] = replicas;
  object["spec"]["template"]["spec"]["containers"][0]["image"] = image;
  return object;
}

Json agent(const std::string& image = "otel/agent:1.0") {
  Json object = Json::parse(R"({"apiVersion": "apps/v1", "kind": "DaemonSet",
      "metadata": {"name": "agent", "namespace": "default"},
      "spec": {"selector": {"matchLabels": {"app": "agent"}},
        "template": {"metadata": {"labels": {"app": "agent"}},
          "spec": {"containers": [{"name": "agent"}]}}}})");
  object["spec"]["template"]["spec"]["containers"][0]["image"] = image;
  return object;
}

bool terminating(const Json& pod) {
  return pod["metadata"].contains("deletionTimestamp");
}

std::string image_of(const Json& pod) {
  return pod["spec"]["containers"][0]["image"];
}

int count(const std::vector<Json>& pods, const std::function<bool(const Json&)>& predicate) {
  return static_cast<int>(std::count_if(pods.begin(), pods.end(), predicate));
}

Json condition(const Json& object, const std::string& kind) {
  for (const Json& condition : object["status"].value("conditions", Json::array())) {
    if (condition["type"] == kind) return condition;
  }
  return nullptr;
}

Json with_image(Json object, const std::string& image) {
  object["spec"]["template"]["spec"]["containers"][0]["image"] = image;
  return object;
}

bool ready(const Json& pod) {
  return pod_ready(pod);
}

}  // namespace

TEST_SUITE("fixtures/kube_controllers") {
  TEST_CASE(
      "a rolling update keeps the old pods serving until new ones are ready, then they "
      "linger Terminating") {
    Sim sim;
    sim.put(web(2));
    sim.advance(5);
    REQUIRE(count(sim.pods(), ready) == 2);
    const Json before = sim.deployment();
    CHECK(before["status"]["updatedReplicas"] == 2);

    sim.put(with_image(sim.deployment(), "nginx:1.26"));
    // The controller has not seen the new spec yet.
    CHECK(sim.deployment()["metadata"]["generation"] == 2);
    CHECK(sim.deployment()["status"]["observedGeneration"] == 1);

    sim.advance(0.5);
    // maxSurge 25 % of 2 is 1, maxUnavailable 0: one new pod beside the two old, ready ones.
    auto pods = sim.pods();
    CHECK(pods.size() == 3);
    CHECK(count(pods,
                [](const Json& pod) { return image_of(pod) == "nginx:1.25" && ready(pod); }) == 2);
    CHECK(count(pods, terminating) == 0);
    CHECK(sim.deployment()["status"]["observedGeneration"] == 2);
    CHECK(condition(sim.deployment(), "Progressing")["reason"] == "NewReplicaSetCreated");

    // Once the new pod is ready an old one is deleted: it lingers for its grace period, still
    // Ready, but no longer counted in the Deployment's status.
    sim.advance(4);
    pods = sim.pods();
    const int lingering = count(pods, terminating);
    CHECK(lingering >= 1);
    CHECK(count(pods, [](const Json& pod) { return terminating(pod) && ready(pod); }) == lingering);
    const Json status = sim.deployment()["status"];
    CHECK(status["replicas"].get<int>() + lingering == static_cast<int>(pods.size()));

    sim.advance(40);  // the default grace period is 30 s
    pods = sim.pods();
    CHECK(pods.size() == 2);
    CHECK(count(pods,
                [](const Json& pod) { return image_of(pod) == "nginx:1.26" && ready(pod); }) == 2);
    const Json done = sim.deployment();
    CHECK(done["status"]["updatedReplicas"] == 2);
    CHECK(done["status"]["availableReplicas"] == 2);
    CHECK(done["status"]["replicas"] == 2);
    CHECK(condition(done, "Progressing")["reason"] == "NewReplicaSetAvailable");
    CHECK(condition(done, "Available")["status"] == "True");
    CHECK(done["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2");
  }

  TEST_CASE("every status write bumps the resourceVersion, a round that changes nothing does not") {
    Sim sim;
    sim.put(web(1));
    const std::string created = sim.deployment()["metadata"]["resourceVersion"];
    sim.advance(0.5);
    const std::string observed = sim.deployment()["metadata"]["resourceVersion"];
    CHECK(observed != created);
    sim.advance(10);
    const std::string settled = sim.deployment()["metadata"]["resourceVersion"];
    CHECK(settled != observed);
    sim.advance(10);
    CHECK(sim.deployment()["metadata"]["resourceVersion"] == settled);
  }

  TEST_CASE(
      "a rollout whose new pods never get ready ends in ProgressDeadlineExceeded, the old "
      "pods keep serving") {
    Sim sim;
    sim.controllers.set_behaviour("web", {.kind = PodBehaviour::Kind::crash_loop,
                                          .message = "ModuleNotFoundError",
                                          .exit_code = 1,
                                          .when_init_container = "install"});
    Json deployment = web(2);
    deployment["spec"]["progressDeadlineSeconds"] = 60;
    sim.put(deployment);
    sim.advance(5);
    Json broken = sim.deployment();
    broken["spec"]["template"]["spec"]["initContainers"] =
        Json::parse(R"([{"name": "install", "image": "python:3.12"}])");
    sim.put(broken);
    sim.advance(30);
    CHECK(condition(sim.deployment(), "Progressing")["status"] == "True");
    sim.advance(45);
    const Json progressing = condition(sim.deployment(), "Progressing");
    CHECK(progressing["status"] == "False");
    CHECK(progressing["reason"] == "ProgressDeadlineExceeded");
    CHECK(progressing["message"].get<std::string>().ends_with("has timed out progressing."));
    const auto pods = sim.pods();
    CHECK(count(pods, [](const Json& pod) { return !terminating(pod) && ready(pod); }) == 2);
    const Json crashing = *std::find_if(pods.begin(), pods.end(), [](const Json& pod) {
      return pod["spec"].contains("initContainers");
    });
    CHECK(crashing["status"]["containerStatuses"][0]["restartCount"].get<int>() >= 3);
  }

  TEST_CASE("going back to an earlier template reuses its ReplicaSet as the newest revision") {
    Sim sim;
    sim.put(web(1));
    sim.advance(5);
    const std::string first =
        sim.deployment()["metadata"]["annotations"]["deployment.kubernetes.io/revision"];
    CHECK(first == "1");
    sim.put(with_image(sim.deployment(), "nginx:1.26"));
    sim.advance(40);
    sim.put(with_image(sim.deployment(), "nginx:1.25"));
    sim.advance(0.5);
    CHECK(condition(sim.deployment(), "Progressing")["reason"] == "FoundNewReplicaSet");
    sim.advance(40);
    const auto sets = sim.replica_sets();
    CHECK(sets.size() == 2);
    const Json current = sim.deployment();
    CHECK(current["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3");
    const std::string hash = template_hash(current["spec"]["template"]);
    for (const Json& set : sets) {
      const bool reused = set["metadata"]["name"] == "web-" + hash;
      CHECK(set["spec"]["replicas"] == (reused ? 1 : 0));
      if (reused) CHECK(set["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3");
    }
  }

  TEST_CASE("Recreate: every old pod is gone, Terminating ones too, before a new one starts") {
    Sim sim;
    Json deployment = web(2);
    deployment["spec"]["strategy"] = {{"type", "Recreate"}};
    sim.put(deployment);
    sim.advance(5);
    sim.put(with_image(sim.deployment(), "nginx:1.26"));
    sim.advance(10);
    auto pods = sim.pods();
    CHECK(count(pods, terminating) == 2);
    CHECK(count(pods, [](const Json& pod) { return image_of(pod) == "nginx:1.26"; }) == 0);
    sim.advance(30);
    pods = sim.pods();
    CHECK(pods.size() == 2);
    CHECK(count(pods, [](const Json& pod) { return image_of(pod) == "nginx:1.26"; }) == 2);
  }

  TEST_CASE("the rolling budget resolves percentages as the Deployment controller does") {
    const auto budget = [](int replicas, Json surge, Json unavailable) {
      Json spec = {{"replicas", replicas}};
      if (!surge.is_null()) spec["strategy"]["rollingUpdate"]["maxSurge"] = surge;
      if (!unavailable.is_null()) spec["strategy"]["rollingUpdate"]["maxUnavailable"] = unavailable;
      return rolling_budget(spec);
    };
    CHECK(budget(1, nullptr, nullptr).max_surge == 1);
    CHECK(budget(1, nullptr, nullptr).max_unavailable == 0);
    CHECK(budget(10, nullptr, nullptr).max_surge == 3);
    CHECK(budget(10, nullptr, nullptr).max_unavailable == 2);
    CHECK(budget(3, 0, 0).max_unavailable == 1);
    CHECK(budget(4, "50%", 1).max_surge == 2);
    CHECK(new_replica_set_size(4, {.max_surge = 1, .max_unavailable = 1}, 4, 0) == 1);
    CHECK(new_replica_set_size(4, {.max_surge = 1, .max_unavailable = 1}, 5, 1) == 1);
    CHECK(new_replica_set_size(4, {.max_surge = 1, .max_unavailable = 1}, 3, 1) == 3);
  }

  TEST_CASE("a DaemonSet runs where its selector and tolerations allow, and names the rest") {
    Sim sim;
    sim.put(make_node("gpu-1", "10.0.0.21", {{"pool", "gpu"}},
                      Json::parse(R"([{"key": "dedicated", "value": "gpu",
                                       "effect": "NoSchedule"}])")));
    sim.put(make_node("broken-1", "10.0.0.31", {}, Json::array(), false));
    Json daemon_set = agent();
    daemon_set["spec"]["template"]["spec"]["nodeSelector"] = {{"kubernetes.io/os", "linux"}};
    sim.put(daemon_set);
    sim.advance(5);
    std::set<std::string> nodes;
    for (const Json& pod : sim.pods()) nodes.insert(pod["spec"]["nodeName"].get<std::string>());
    CHECK(nodes == std::set<std::string>{"node-1", "node-2"});
    CHECK(sim.daemon_set()["status"]["desiredNumberScheduled"] == 2);
    CHECK(sim.daemon_set()["status"]["numberReady"] == 2);
    const Json pod = sim.pods().front();
    CHECK(pod["metadata"]["labels"]["pod-template-generation"] == "1");
    CHECK(sim.daemon_set()["metadata"]["annotations"]["deprecated.daemonset.template.generation"] ==
          "1");

    // Tolerating the taint adds the GPU node; the not-ready node's taint is still not tolerated.
    Json tolerant = sim.daemon_set();
    tolerant["spec"]["template"]["spec"]["tolerations"] =
        Json::parse(R"([{"key": "dedicated", "operator": "Exists"}])");
    sim.put(tolerant);
    sim.advance(120);  // each node's old pod terminates for its grace period (30 s) first
    CHECK(sim.daemon_set()["metadata"]["annotations"]["deprecated.daemonset.template.generation"] ==
          "2");
    CHECK(sim.daemon_set()["status"]["desiredNumberScheduled"] == 3);
    CHECK(sim.daemon_set()["status"]["updatedNumberScheduled"] == 3);
    CHECK(sim.daemon_set()["status"]["numberAvailable"] == 3);
    for (const Json& one : sim.pods()) {
      CHECK(one["metadata"]["labels"]["pod-template-generation"] == "2");
      CHECK(one["spec"]["nodeName"] != "broken-1");
    }

    CHECK(placement_refusal(agent()["spec"]["template"]["spec"],
                            *sim.store.find(type("v1", "Node"), "", "gpu-1")) == "taint");
    Json pinned = agent()["spec"]["template"]["spec"];
    pinned["nodeSelector"] = {{"pool", "gpu"}};
    CHECK(placement_refusal(pinned, *sim.store.find(type("v1", "Node"), "", "node-1")) ==
          "selector");
  }

  TEST_CASE(
      "a DaemonSet update replaces one node's pod at a time (maxUnavailable 1), the new one "
      "once the old is gone") {
    Sim sim;
    sim.put(make_node("node-3", "10.0.0.13"));
    sim.put(agent());
    sim.advance(5);
    sim.put(with_image(sim.daemon_set(), "otel/agent:2.0"));
    int most_unready = 0;
    int most_on_a_node = 0;  // Terminating ones included: the controller waits for them to go
    bool seen_terminating = false;
    // Each node's old pod terminates for its grace period (30 s) before the new one starts.
    for (int i = 0; i < 240; ++i) {
      sim.advance(0.5);
      const auto pods = sim.pods();
      std::set<std::string> served;
      std::map<std::string, int> on_node;
      for (const Json& pod : pods) {
        if (!terminating(pod) && ready(pod)) served.insert(pod["spec"]["nodeName"]);
        seen_terminating = seen_terminating || terminating(pod);
        most_on_a_node = std::max(most_on_a_node, ++on_node[pod["spec"].value("nodeName", "")]);
      }
      most_unready = std::max(most_unready, 3 - static_cast<int>(served.size()));
    }
    CHECK(seen_terminating);
    CHECK(most_on_a_node == 1);
    CHECK(most_unready == 1);
    for (const Json& pod : sim.pods()) CHECK(image_of(pod) == "otel/agent:2.0");
  }

  TEST_CASE(
      "a DaemonSet update with maxSurge starts each new pod beside the old one, which goes once "
      "the new one is ready") {
    Sim sim;
    sim.put(make_node("node-3", "10.0.0.13"));
    Json surging = agent();
    surging["spec"]["updateStrategy"] = {
        {"type", "RollingUpdate"}, {"rollingUpdate", {{"maxSurge", 1}, {"maxUnavailable", 0}}}};
    sim.put(surging);
    sim.advance(5);
    sim.put(with_image(sim.daemon_set(), "otel/agent:2.0"));
    int most_unready = 0;
    int most_on_a_node = 0;  // Terminating ones included
    int most_new_unready = 0;
    bool updated_with_old_terminating = false;
    for (int i = 0; i < 240; ++i) {
      sim.advance(0.5);
      std::set<std::string> served;
      std::map<std::string, int> on_node;
      std::set<std::string> terminating_on;
      int new_unready = 0;
      for (const Json& pod : sim.pods()) {
        const std::string node = pod["spec"].value("nodeName", "");
        if (!terminating(pod) && ready(pod)) served.insert(node);
        if (terminating(pod)) terminating_on.insert(node);
        if (!terminating(pod) && image_of(pod) == "otel/agent:2.0" && !ready(pod)) ++new_unready;
        most_on_a_node = std::max(most_on_a_node, ++on_node[node]);
      }
      most_unready = std::max(most_unready, 3 - static_cast<int>(served.size()));
      most_new_unready = std::max(most_new_unready, new_unready);
      // A node counts as updated only once its old pod is gone, Terminating included.
      const Json status = sim.daemon_set()["status"];
      if (status.value("updatedNumberScheduled", 0) == 3 && !terminating_on.empty()) {
        updated_with_old_terminating = true;
      }
    }
    CHECK(most_unready == 0);      // every node keeps a ready pod throughout
    CHECK(most_on_a_node == 2);    // the new pod beside the old one
    CHECK(most_new_unready == 1);  // maxSurge: one new pod starting at a time
    CHECK_FALSE(updated_with_old_terminating);
    for (const Json& pod : sim.pods()) CHECK(image_of(pod) == "otel/agent:2.0");
    CHECK(sim.pods().size() == 3);
    CHECK(sim.daemon_set()["status"]["updatedNumberScheduled"] == 3);
  }

  TEST_CASE("a crash loop's restarts grow with the kubelet's back-off") {
    CHECK(crash_loop_at(0.5, 1).restarts == 0);
    CHECK(crash_loop_at(0.5, 1).running);
    CHECK(crash_loop_at(1.5, 1).restarts == 1);  // the first restart is immediate
    CHECK_FALSE(crash_loop_at(2.5, 1).running);  // then 10 s of back-off
    CHECK(crash_loop_at(2.5, 1).restarts == 1);
    CHECK(crash_loop_at(12.5, 1).restarts == 2);
    CHECK(crash_loop_at(34, 1).restarts == 3);    // after 20 s more
    CHECK(crash_loop_at(3600, 1).restarts < 20);  // back-off tops out at 5 minutes
  }

  TEST_CASE(
      "failing pods as the kubelet reports them: crash loop, OOM kill, init crash, image "
      "pull") {
    const ClusterPace pace;
    const PodPlacement placement{.node_name = "node-1",
                                 .host_ip = "10.0.0.11",
                                 .pod_ip = "10.244.0.2",
                                 .started = "2026-01-01T00:00:00Z"};
    const Json spec = Json::parse(R"({"initContainers": [{"name": "install", "image": "py"}],
        "containers": [{"name": "app", "image": "app:1"}]})");

    Json status = pod_status(spec, PodBehaviour::crash_loop("boom", 2), 40, placement, pace);
    Json app = status["containerStatuses"][0];
    CHECK(app["state"]["waiting"]["reason"] == "CrashLoopBackOff");
    CHECK(app["lastState"]["terminated"]["exitCode"] == 2);
    CHECK(app["lastState"]["terminated"]["reason"] == "Error");
    CHECK(app["lastState"]["terminated"]["message"] == "boom");
    CHECK(app["restartCount"] == 3);
    CHECK(status["phase"] == "Running");

    status = pod_status(spec, PodBehaviour::oom_killed(), 40, placement, pace);
    CHECK(status["containerStatuses"][0]["lastState"]["terminated"]["reason"] == "OOMKilled");
    CHECK(status["containerStatuses"][0]["lastState"]["terminated"]["exitCode"] == 137);

    status = pod_status(spec, PodBehaviour::init_failure("install", 1, ""), 40, placement, pace);
    const Json init = status["initContainerStatuses"][0];
    CHECK(init["state"]["waiting"]["reason"] == "CrashLoopBackOff");
    CHECK(init["lastState"]["terminated"]["exitCode"] == 1);
    CHECK(init["restartCount"].get<int>() >= 2);
    CHECK(status["containerStatuses"][0]["state"]["waiting"]["reason"] == "PodInitializing");
    CHECK(status["phase"] == "Pending");

    const Json plain = Json::parse(R"({"containers": [{"name": "app", "image": "app:nope"}]})");
    status = pod_status(plain, PodBehaviour::image_pull_backoff(), 1.5, placement, pace);
    CHECK(status["containerStatuses"][0]["state"]["waiting"]["reason"] == "ErrImagePull");
    status = pod_status(plain, PodBehaviour::image_pull_backoff(), 5, placement, pace);
    CHECK(status["containerStatuses"][0]["state"]["waiting"]["reason"] == "ImagePullBackOff");
    CHECK(status["containerStatuses"][0]["state"]["waiting"]["message"] ==
          "Back-off pulling image \"app:nope\"");

    status = pod_status(plain, PodBehaviour::ready(), 0.5, placement, pace);
    CHECK(status["containerStatuses"][0]["state"]["waiting"]["reason"] == "ContainerCreating");
    CHECK(status["phase"] == "Pending");
  }

  TEST_CASE("a deleted namespace stays Terminating, refuses new content, then goes") {
    Sim sim;
    const ResourceType& namespaces = type("v1", "Namespace");
    const ResourceType& configmaps = type("v1", "ConfigMap");
    sim.put({{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "otel"}}}});
    sim.put({{"apiVersion", "v1"},
             {"kind", "ConfigMap"},
             {"metadata", {{"name", "old"}, {"namespace", "otel"}}}});
    const Json removed = sim.store.remove(namespaces, "", "otel", Json::object(), {});
    CHECK(removed["status"]["phase"] == "Terminating");
    const Json late = {{"apiVersion", "v1"},
                       {"kind", "ConfigMap"},
                       {"metadata", {{"name", "late"}, {"namespace", "otel"}}}};
    try {
      sim.store.create(configmaps, "otel", late, {});
      FAIL("created content in a terminating namespace");
    } catch (const ApiError& error) {
      CHECK(error.code() == 403);
      CHECK(std::string(error.what()) ==
            "configmaps \"late\" is forbidden: unable to create new content in namespace otel "
            "because it is being terminated");
      CHECK(error.status()["details"]["causes"][0]["reason"] == "NamespaceTerminating");
    }
    sim.advance(1);
    CHECK(sim.store.objects(configmaps, "otel").empty());
    CHECK(sim.store.find(namespaces, "", "otel"));
    sim.advance(10);
    CHECK_FALSE(sim.store.find(namespaces, "", "otel"));
  }

  TEST_CASE("deleting a Deployment: its ReplicaSets go, its pods Terminate for their grace") {
    Sim sim;
    sim.put(web(2));
    sim.advance(5);
    sim.store.remove(type("apps/v1", "Deployment"), "default", "web", Json::object(), {});
    CHECK(sim.replica_sets().size() == 1);  // the garbage collector has not run yet
    sim.advance(1);
    CHECK(sim.replica_sets().empty());
    CHECK(count(sim.pods(), terminating) == 2);
    sim.advance(35);
    CHECK(sim.pods().empty());
  }

  TEST_CASE("deleting with propagationPolicy Orphan leaves the pods, without their owner") {
    Sim sim;
    sim.put(agent());
    sim.advance(5);
    sim.store.remove(type("apps/v1", "DaemonSet"), "default", "agent",
                     {{"propagationPolicy", "Orphan"}}, {});
    sim.advance(5);
    const auto pods = sim.pods();
    REQUIRE(pods.size() == 2);
    CHECK(count(pods, terminating) == 0);
    CHECK_FALSE(pods[0]["metadata"].contains("ownerReferences"));
  }
}

TEST_SUITE("fixtures/kube_controllers") {
  TEST_CASE("through kubectl: a DaemonSet rolls out, kubectl rollout status agrees") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    kubectl.ok({"create", "-f", "-"}, agent().dump());
    REQUIRE(server.await_rollout(kDaemonSet));
    const Json items =
        Json::parse(kubectl.ok({"get", "pods", "-l", "app=agent", "-o", "json"}))["items"];
    REQUIRE(items.size() == 2);
    for (const Json& pod : items) {
      CHECK(ready(pod));
      CHECK(pod["metadata"]["ownerReferences"][0]["kind"] == "DaemonSet");
    }
    CHECK(kubectl.ok({"rollout", "status", "daemonset/agent", "--timeout=20s"})
              .find("successfully rolled out") != std::string::npos);
  }

  TEST_CASE("through kubectl: crash-looping pods, their logs, and a rollout that never ends") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    server.set_pod_behaviour(
        "agent",
        PodBehaviour::crash_loop("unknown type: \"sapm\"", 1,
                                 "starting\nloading config\nError: unknown type: \"sapm\"\n"));
    kubectl.ok({"create", "-f", "-"}, agent().dump());
    Json pod;
    REQUIRE(server.wait_until([&] {
      const Json items =
          Json::parse(kubectl.ok({"get", "pods", "-l", "app=agent", "-o", "json"}))["items"];
      if (items.empty()) return false;
      pod = items[0];
      const Json statuses = pod["status"].value("containerStatuses", Json::array());
      return !statuses.empty() && statuses[0]["restartCount"].get<int>() >= 3;
    }));
    const Json& container = pod["status"]["containerStatuses"][0];
    CHECK_FALSE(ready(pod));
    CHECK(container["lastState"]["terminated"]["message"] == "unknown type: \"sapm\"");
    const std::string name = pod["metadata"]["name"];
    CHECK(kubectl.ok({"logs", name, "--previous"}) ==
          "starting\nloading config\nError: unknown type: \"sapm\"\n");
    CHECK(kubectl.ok({"logs", name, "--previous", "--tail=1"}) ==
          "Error: unknown type: \"sapm\"\n");
    CHECK(kubectl.run({"rollout", "status", "daemonset/agent", "--timeout=1s"}).exit_code != 0);
  }

  TEST_CASE("through kubectl: logs of the current instance, and the kubelet's refusals") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    kubectl.ok({"create", "-f", "-"}, agent().dump());
    REQUIRE(server.await_rollout(kDaemonSet));
    const std::string pod = Json::parse(kubectl.ok(
        {"get", "pods", "-l", "app=agent", "-o", "json"}))["items"][0]["metadata"]["name"];
    CHECK(kubectl.ok({"logs", pod}) == "");
    server.set_log("default", pod, "agent", "one\ntwo\nthree\n");
    CHECK(kubectl.ok({"logs", pod, "-c", "agent", "--tail=2"}) == "two\nthree\n");
    // limitBytes counts from the start and may cut a line; with tailLines, of the tail.
    CHECK(kubectl.ok({"logs", pod, "--limit-bytes=6"}) == "one\ntw");
    CHECK(kubectl.ok({"logs", pod, "--tail=1", "--limit-bytes=3"}) == "thr");
    // kubectl sends no limit for --limit-bytes=0: the whole log.
    CHECK(kubectl.ok({"logs", pod, "--limit-bytes=0"}) == "one\ntwo\nthree\n");
    const auto previous = kubectl.run({"logs", pod, "--previous"});
    CHECK(previous.exit_code == 1);
    CHECK(previous.err.find("previous terminated container \"agent\" in pod \"" + pod +
                            "\" not found") != std::string::npos);
    const auto unknown = kubectl.run({"logs", pod, "-c", "nope"});
    CHECK(unknown.err.find("container nope is not valid for pod " + pod) != std::string::npos);
  }

  TEST_CASE("through kubectl: unschedulable pods say why, a deleted pod is Terminating first") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    Json pinned = web(1);
    pinned["spec"]["template"]["spec"]["nodeSelector"] = {{"pool", "gpu"}};
    kubectl.ok({"create", "-f", "-"}, pinned.dump());
    Json pod;
    REQUIRE(server.wait_until([&] {
      const Json items =
          Json::parse(kubectl.ok({"get", "pods", "-l", "app=web", "-o", "json"}))["items"];
      if (items.empty() || !items[0]["status"].contains("conditions")) return false;
      pod = items[0];
      return true;
    }));
    CHECK_FALSE(pod["spec"].contains("nodeName"));
    const Json& scheduled = pod["status"]["conditions"][0];
    CHECK(scheduled["reason"] == "Unschedulable");
    CHECK(scheduled["message"].get<std::string>().starts_with(
        "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector."));

    kubectl.ok({"create", "-f", "-"}, agent().dump());
    REQUIRE(server.await_rollout(kDaemonSet));
    const std::string name = Json::parse(kubectl.ok(
        {"get", "pods", "-l", "app=agent", "-o", "json"}))["items"][0]["metadata"]["name"];
    // 600 simulated seconds (6 s here): long enough to read the pod back on a loaded machine.
    kubectl.ok({"delete", "pod", name, "--wait=false", "--grace-period=600"});
    const Json deleted = Json::parse(kubectl.ok({"get", "pod", name, "-o", "json"}));
    CHECK(deleted["metadata"].contains("deletionTimestamp"));
    CHECK(deleted["metadata"]["deletionGracePeriodSeconds"] == 600);
    CHECK(server.wait_until([&] { return kubectl.run({"get", "pod", name}).exit_code != 0; }));
  }
}

}  // namespace test_fixtures_kube_controllers
