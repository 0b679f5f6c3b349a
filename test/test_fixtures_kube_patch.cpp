// The three client patch formats through `kubectl patch --type json|merge|strategic`, against
// the fake API server, with the results the real server gives.
#include <doctest/doctest.h>

#include "core/json.h"
#include "fixtures/fake_kube_api_server.h"
#include "support/kubectl_runner.h"

namespace test_fixtures_kube_patch {

using cxtm::Json;
using cxtm::testing::FakeKubeApiServer;
using cxtm::testing::Kubectl;

namespace {

constexpr const char* kPath = "/apis/apps/v1/namespaces/default/deployments/web";

// A Deployment with two containers, one with env; the object the patches work on.
const std::string kDeployment = R"({"apiVersion": "apps/v1", "kind": "Deployment",
  "metadata": {"name": "web", "labels": {"app": "web", "team": "a"}},
  "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
    "template": {"metadata": {"labels": {"app": "web"}},
      "spec": {"containers": [
        {"name": "web", "image": "nginx:1.25",
         "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]},
        {"name": "sidecar", "image": "busybox:1.36"}]}}}})";

struct Fixture {
  FakeKubeApiServer server;
  Kubectl kubectl{server};
  Fixture() { kubectl.ok({"create", "-f", "-"}, kDeployment); }
  Json stored() const { return *server.get(kPath); }
  Json containers() const { return stored()["spec"]["template"]["spec"]["containers"]; }
};

}  // namespace

TEST_SUITE("fixtures/kube_patch") {
  TEST_CASE("JSON patch: operations in order, a failing test op is 422 and changes nothing") {
    Fixture f;
    const int writes = f.server.write_count();
    f.kubectl.ok({"patch", "deployment", "web", "--type", "json", "-p", R"([
        {"op": "test", "path": "/spec/replicas", "value": 1},
        {"op": "replace", "path": "/spec/replicas", "value": 3},
        {"op": "add", "path": "/metadata/labels/tier", "value": "front"},
        {"op": "remove", "path": "/metadata/labels/team"}])"});
    CHECK(f.stored()["spec"]["replicas"] == 3);
    CHECK(f.stored()["metadata"]["labels"] == Json::parse(R"({"app": "web", "tier": "front"})"));
    CHECK(f.server.write_count() == writes + 1);

    const auto failed = f.kubectl.run({"patch", "deployment", "web", "--type", "json", "-p",
                                       R"([{"op": "test", "path": "/spec/replicas", "value": 1},
                           {"op": "replace", "path": "/spec/replicas", "value": 9}])"});
    CHECK(failed.exit_code == 1);
    CHECK(failed.err.find("testing value /spec/replicas failed") != std::string::npos);
    const auto missing = f.kubectl.run({"patch", "deployment", "web", "--type", "json", "-p",
                                        R"([{"op": "remove", "path": "/spec/nothing"}])"});
    CHECK(missing.exit_code == 1);
    CHECK(missing.err.find("remove operation does not apply") != std::string::npos);
    CHECK(f.stored()["spec"]["replicas"] == 3);
    CHECK(f.server.write_count() == writes + 1);
  }

  TEST_CASE("merge patch: maps merge, null deletes, lists are replaced whole") {
    Fixture f;
    f.kubectl.ok({"patch", "deployment", "web", "--type", "merge", "-p", R"({
        "metadata": {"labels": {"team": null, "tier": "front"}},
        "spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.26"}]}}}})"});
    CHECK(f.stored()["metadata"]["labels"] == Json::parse(R"({"app": "web", "tier": "front"})"));
    const Json containers = f.containers();
    REQUIRE(containers.size() == 1);  // the sidecar went with the old list
    CHECK(containers[0]["image"] == "nginx:1.26");
    CHECK_FALSE(containers[0].contains("env"));
    CHECK(containers[0]["imagePullPolicy"] == "IfNotPresent");  // defaults applied again
  }

  TEST_CASE("strategic merge patch: lists with a merge key merge element by element") {
    Fixture f;
    f.kubectl.ok({"patch", "deployment", "web", "-p", R"({"spec": {"template": {"spec": {
        "containers": [{"name": "web", "image": "nginx:1.26",
                        "env": [{"name": "B", "value": "3"}, {"name": "C", "value": "4"}]}]}}}})"});
    Json containers = f.containers();
    REQUIRE(containers.size() == 2);
    CHECK(containers[0]["image"] == "nginx:1.26");
    CHECK(containers[0]["env"] == Json::parse(R"([{"name": "A", "value": "1"},
        {"name": "B", "value": "3"}, {"name": "C", "value": "4"}])"));
    CHECK(containers[1]["name"] == "sidecar");

    f.kubectl.ok({"patch", "deployment", "web", "--type", "strategic", "-p",
                  R"({"spec": {"template": {"spec": {"containers": [
                      {"name": "sidecar", "$patch": "delete"},
                      {"name": "web", "env": [{"name": "A", "$patch": "delete"}]}]}}}})"});
    containers = f.containers();
    REQUIRE(containers.size() == 1);
    CHECK(containers[0]["env"] == Json::parse(R"([{"name": "B", "value": "3"},
        {"name": "C", "value": "4"}])"));

    f.kubectl.ok({"patch", "deployment", "web", "-p", R"({"spec": {"template": {"spec": {
        "containers": [{"name": "web", "env": [{"name": "Z", "value": "9"}, {"$patch": "replace"}]}]}}}})"});
    CHECK(f.containers()[0]["env"] == Json::parse(R"([{"name": "Z", "value": "9"}])"));
  }

  TEST_CASE("a patch that changes nothing is no write and kubectl says (no change)") {
    Fixture f;
    // Once rolled out, the controllers leave it alone: any new resourceVersion is the patch's.
    REQUIRE(f.server.await_rollout(kPath));
    const std::string version = f.stored()["metadata"]["resourceVersion"];
    const int writes = f.server.write_count();
    const std::string out = f.kubectl.ok(
        {"patch", "deployment", "web", "-p", R"({"metadata": {"labels": {"app": "web"}}})"});
    CHECK(out == "deployment.apps/web patched (no change)\n");
    CHECK(f.server.write_count() == writes);
    CHECK(f.stored()["metadata"]["resourceVersion"] == version);
  }

  TEST_CASE("patches of the spec bump the generation and roll the pods") {
    Fixture f;
    CHECK(f.stored()["metadata"]["generation"] == 1);
    f.kubectl.ok({"patch", "deployment", "web", "-p",
                  R"({"spec": {"template": {"metadata": {"annotations": {"x": "1"}}}}})"});
    CHECK(f.stored()["metadata"]["generation"] == 2);
    CHECK(f.stored()["status"]["observedGeneration"] == 2);
    f.kubectl.ok({"patch", "deployment", "web", "-p", R"({"metadata": {"labels": {"y": "1"}}})"});
    CHECK(f.stored()["metadata"]["generation"] == 2);  // metadata is not spec
  }

  TEST_CASE("a patch that breaks validation is refused with 422") {
    Fixture f;
    const auto result =
        f.kubectl.run({"patch", "deployment", "web", "--type", "merge", "-p",
                       R"({"spec": {"selector": {"matchLabels": {"app": "other"}}}})"});
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("The Deployment \"web\" is invalid") != std::string::npos);
    CHECK(result.err.find("spec.selector: Invalid value") != std::string::npos);
    CHECK(result.err.find("field is immutable") != std::string::npos);
  }
}

}  // namespace test_fixtures_kube_patch
