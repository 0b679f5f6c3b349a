// Server-side apply through `kubectl apply --server-side`: field ownership, conflicts and their
// message, --force-conflicts, removal of fields a manager stops applying, and --dry-run=server.
#include <doctest/doctest.h>

#include "core/json.h"
#include "fixtures/fake_kube_api_server.h"
#include "support/kubectl_runner.h"

namespace test_fixtures_kube_field_manager {

using cxtm::Json;
using cxtm::testing::FakeKubeApiServer;
using cxtm::testing::Kubectl;

namespace {

constexpr const char* kPath = "/apis/apps/v1/namespaces/default/deployments/web";

// The Deployment as a manager would apply it: replicas, one label, the image.
std::string deployment(int replicas, const std::string& image, const std::string& label = "") {
  Json object = Json::parse(R"({"apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": {"name": "web", "labels": {"app": "web"}},
      "spec": {"selector": {"matchLabels": {"app": "web"}},
        "template": {"metadata": {"labels": {"app": "web"}},
          "spec": {"containers": [{"name": "web"}]}}}})");
  object["spec"]["replicas"] = replicas;
  object["spec"]["template"]["spec"]["containers"][0]["image"] = image;
  if (!label.empty()) object["metadata"]["labels"][label] = "yes";
  return object.dump();
}

std::vector<std::string> apply_args(const std::string& manager) {
  return {"apply", "--server-side", "--field-manager=" + manager, "-f", "-"};
}

// The managedFields entry of manager with operation, or null.
Json entry(const Json& object, const std::string& manager, const std::string& operation) {
  for (const Json& owner : object["metadata"].value("managedFields", Json::array())) {
    if (owner.value("manager", "") == manager && owner.value("operation", "") == operation) {
      return owner;
    }
  }
  return nullptr;
}

bool owns_replicas(const Json& owner) {
  return !owner.is_null() && owner["fieldsV1"].contains("f:spec") &&
         owner["fieldsV1"]["f:spec"].contains("f:replicas");
}

}  // namespace

TEST_SUITE("fixtures/kube_field_manager") {
  TEST_CASE("apply creates the object and records its manager's fields") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    const std::string out = kubectl.ok(apply_args("alice"), deployment(2, "nginx:1.25"));
    CHECK(out == "deployment.apps/web serverside-applied\n");
    const Json stored = *server.get(kPath);
    CHECK(stored["spec"]["replicas"] == 2);
    const Json alice = entry(stored, "alice", "Apply");
    REQUIRE_FALSE(alice.is_null());
    CHECK(alice["apiVersion"] == "apps/v1");
    CHECK(alice["fieldsType"] == "FieldsV1");
    CHECK(owns_replicas(alice));
    CHECK(alice["fieldsV1"]["f:spec"]["f:template"]["f:spec"]["f:containers"].contains(
        R"(k:{"name":"web"})"));
    CHECK_FALSE(alice["fieldsV1"].contains("f:status"));
    // The controller's status writes are its own.
    CHECK_FALSE(entry(stored, "kube-controller-manager", "Update").is_null());
  }

  TEST_CASE("another manager's field is a conflict with the real message until forced") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    kubectl.ok(apply_args("alice"), deployment(2, "nginx:1.25"));
    kubectl.ok({"patch", "deployment", "web", "-p", R"({"spec": {"replicas": 3}})"});
    CHECK(owns_replicas(entry(*server.get(kPath), "kubectl-patch", "Update")));
    const int writes = server.write_count();

    const auto conflict = kubectl.run(apply_args("alice"), deployment(4, "nginx:1.25"));
    CHECK(conflict.exit_code == 1);
    CHECK(conflict.err.find("Apply failed with 1 conflict: conflict with \"kubectl-patch\" using "
                            "apps/v1: .spec.replicas") != std::string::npos);
    CHECK(conflict.err.find("--force-conflicts") != std::string::npos);  // kubectl's advice
    CHECK((*server.get(kPath))["spec"]["replicas"] == 3);
    CHECK(server.write_count() == writes);

    // The same value is no conflict: both own it.
    kubectl.ok(apply_args("alice"), deployment(3, "nginx:1.25"));

    std::vector<std::string> forced = apply_args("alice");
    forced.insert(forced.begin() + 2, "--force-conflicts");
    kubectl.ok(forced, deployment(4, "nginx:1.25"));
    const Json stored = *server.get(kPath);
    CHECK(stored["spec"]["replicas"] == 4);
    CHECK(owns_replicas(entry(stored, "alice", "Apply")));
    CHECK_FALSE(owns_replicas(entry(stored, "kubectl-patch", "Update")));
  }

  TEST_CASE("a field the manager stops applying goes, unless another manager owns it") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    kubectl.ok(apply_args("alice"), deployment(1, "nginx:1.25", "canary"));
    kubectl.ok(apply_args("bob"), R"({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"owner": "bob"}}})");
    CHECK((*server.get(kPath))["metadata"]["labels"] ==
          Json::parse(R"({"app": "web", "canary": "yes", "owner": "bob"})"));

    kubectl.ok(apply_args("alice"), deployment(1, "nginx:1.25"));
    const Json stored = *server.get(kPath);
    CHECK(stored["metadata"]["labels"] == Json::parse(R"({"app": "web", "owner": "bob"})"));
    CHECK(stored["spec"]["replicas"] == 1);
  }

  TEST_CASE("an unchanged apply writes nothing, --dry-run=server shows the result, stores none") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    kubectl.ok(apply_args("alice"), deployment(1, "nginx:1.25"));
    // Once rolled out, the controllers leave it alone: any new resourceVersion is the apply's.
    REQUIRE(server.await_rollout(kPath));
    const std::string version = (*server.get(kPath))["metadata"]["resourceVersion"];
    const int writes = server.write_count();

    kubectl.ok(apply_args("alice"), deployment(1, "nginx:1.25"));
    CHECK(server.write_count() == writes);
    CHECK((*server.get(kPath))["metadata"]["resourceVersion"] == version);

    std::vector<std::string> dry = apply_args("alice");
    dry.insert(dry.begin() + 2, {"--dry-run=server", "-o", "json"});
    const Json proposed = Json::parse(kubectl.ok(dry, deployment(1, "nginx:1.26")));
    CHECK(proposed["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.26");
    CHECK(proposed["metadata"]["generation"] == 2);
    const Json stored = *server.get(kPath);
    CHECK(stored["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.25");
    CHECK(stored["metadata"]["resourceVersion"] == version);

    // A dry-run create neither stores the object nor counts as a write.
    Json other = Json::parse(deployment(1, "nginx:1.25"));
    other["metadata"]["name"] = "other";
    const Json would_be = Json::parse(kubectl.ok(dry, other.dump()));
    CHECK(would_be["metadata"]["name"] == "other");
    CHECK_FALSE(server.get("/apis/apps/v1/namespaces/default/deployments/other"));
    CHECK(server.write_count() == writes);
  }

  TEST_CASE("apply answers the real errors: invalid objects 422, a missing namespace 404") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    Json bad = Json::parse(deployment(1, "nginx:1.25"));
    bad["spec"]["template"]["metadata"]["labels"]["app"] = "other";
    const auto invalid = kubectl.run(apply_args("alice"), bad.dump());
    CHECK(invalid.exit_code == 1);
    CHECK(invalid.err.find("`selector` does not match template `labels`") != std::string::npos);

    Json elsewhere = Json::parse(deployment(1, "nginx:1.25"));
    elsewhere["metadata"]["namespace"] = "nowhere";
    const auto missing = kubectl.run(apply_args("alice"), elsewhere.dump());
    CHECK(missing.exit_code == 1);
    CHECK(missing.err.find("namespaces \"nowhere\" not found") != std::string::npos);
    CHECK(server.write_count() == 0);
  }
}

}  // namespace test_fixtures_kube_field_manager
