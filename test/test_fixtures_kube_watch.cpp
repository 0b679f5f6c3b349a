// The API server double's watches as the real kubectl streams them (`kubectl get --raw
// ...?watch=1`): events after a resourceVersion, the state now as ADDED events, selectors that
// turn a relabelled object into ADDED or DELETED, 410 Expired after compaction, the bookmark at
// the timeout, and RBAC's watch verb.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/json.h"
#include "core/split.h"
#include "fixtures/fake_kube_api_server.h"
#include "support/kubectl_runner.h"

namespace test_fixtures_kube_watch {

using cxtm::Json;
using cxtm::testing::FakeKubeApiServer;
using cxtm::testing::Kubectl;

namespace {

constexpr const char* kConfigMaps = "/api/v1/namespaces/default/configmaps";

Json configmap(const std::string& name, const Json& labels = Json::object()) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}, {"namespace", "default"}, {"labels", labels}}},
          {"data", {{"k", "1"}}}};
}

// The events of a watch that ends after a second, as "TYPE name" (ERROR: "ERROR code").
std::vector<std::string> watch(const Kubectl& kubectl, const std::string& query,
                               std::vector<Json>* objects = nullptr) {
  const std::string out =
      kubectl.ok({"get", "--raw", std::string(kConfigMaps) + "?watch=1&timeoutSeconds=1&" + query});
  std::vector<std::string> events;
  for (const std::string& line : cxtm::split_nonempty(out, "\n")) {
    const Json event = Json::parse(line);
    const Json& object = event["object"];
    const std::string type = event["type"];
    if (type == "ERROR") {
      events.push_back("ERROR " + std::to_string(object.value("code", 0)));
    } else if (type == "BOOKMARK") {
      events.push_back("BOOKMARK");
    } else {
      events.push_back(type + " " + object["metadata"].value("name", ""));
    }
    if (objects != nullptr) objects->push_back(object);
  }
  return events;
}

std::string list_version(const Kubectl& kubectl) {
  return Json::parse(kubectl.ok({"get", "--raw", kConfigMaps}))["metadata"]["resourceVersion"];
}

}  // namespace

TEST_SUITE("fixtures/kube_watch") {
  TEST_CASE("a watch from a list's resourceVersion streams every change after it, in order") {
    FakeKubeApiServer server;
    Kubectl kubectl(server);
    server.put_object(configmap("before"));
    const std::string version = list_version(kubectl);
    kubectl.ok({"create", "-f", "-"}, configmap("a").dump());
    kubectl.ok({"label", "configmap", "a", "tier=front"});
    kubectl.ok({"delete", "configmap", "a"});
    std::vector<Json> objects;
    const auto events =
        watch(kubectl, "allowWatchBookmarks=true&resourceVersion=" + version, &objects);
    CHECK(events == std::vector<std::string>{"ADDED a", "MODIFIED a", "DELETED a", "BOOKMARK"});
    REQUIRE(objects.size() == 4);
    // Each event carries the object as it was stored by that change; the deleted one with the
    // deletion's own resourceVersion, which the bookmark has reached.
    const auto version_of = [&](size_t i) {
      return std::stoll(objects[i]["metadata"]["resourceVersion"].get<std::string>());
    };
    CHECK(objects[1]["metadata"]["labels"]["tier"] == "front");
    CHECK(version_of(0) < version_of(1));
    CHECK(version_of(1) < version_of(2));
    CHECK(version_of(2) <= version_of(3));
  }

  TEST_CASE("without a resourceVersion the objects there now come first, as ADDED") {
    FakeKubeApiServer server;
    Kubectl kubectl(server);
    server.put_object(configmap("a"));
    server.put_object(configmap("b"));
    CHECK(watch(kubectl, "") == std::vector<std::string>{"ADDED a", "ADDED b"});
    CHECK(watch(kubectl, "resourceVersion=0") == std::vector<std::string>{"ADDED a", "ADDED b"});
  }

  TEST_CASE("a label selector sees an object relabelled into it as ADDED, out of it as DELETED") {
    FakeKubeApiServer server;
    Kubectl kubectl(server);
    const std::string version = list_version(kubectl);
    kubectl.ok({"create", "-f", "-"}, configmap("a", {{"app", "web"}}).dump());
    kubectl.ok({"create", "-f", "-"}, configmap("b", {{"app", "db"}}).dump());
    kubectl.ok({"label", "configmap", "b", "app=web", "--overwrite"});
    kubectl.ok({"label", "configmap", "a", "app=db", "--overwrite"});
    kubectl.ok({"label", "configmap", "a", "tier=x"});  // not selected before or after
    CHECK(watch(kubectl, "labelSelector=app%3Dweb&resourceVersion=" + version) ==
          std::vector<std::string>{"ADDED a", "ADDED b", "DELETED a"});
  }

  TEST_CASE("a watch from before the compacted history gets 410 Expired and must list again") {
    FakeKubeApiServer server;
    Kubectl kubectl(server);
    const std::string version = list_version(kubectl);
    server.put_object(configmap("a"));
    server.compact_watch_history();
    CHECK(watch(kubectl, "resourceVersion=" + version) == std::vector<std::string>{"ERROR 410"});
    // From the list's resourceVersion after compaction, the watch works again.
    server.put_object(configmap("b"));
    const std::string now = list_version(kubectl);
    server.put_object(configmap("c"));
    CHECK(watch(kubectl, "resourceVersion=" + now) == std::vector<std::string>{"ADDED c"});
  }

  TEST_CASE("RBAC authorizes a watch by its own verb: list alone is not enough") {
    FakeKubeApiServer server;
    Kubectl kubectl(server);
    server.enforce_rbac(R"(apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: default}
rules:
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, list]
)");
    CHECK(!list_version(kubectl).empty());
    const auto result =
        kubectl.run({"get", "--raw", std::string(kConfigMaps) + "?watch=1&timeoutSeconds=1"});
    CHECK(result.exit_code != 0);
    CHECK(result.err.find("Forbidden") != std::string::npos);
  }
}

}  // namespace test_fixtures_kube_watch
