// The API server double as the real kubectl sees it: CRUD, selectors, preconditions, Status
// bodies, the status subresource and injected faults. Run the suite once more with
// CXTM_TEST_KUBECTL naming kubectl 1.20 to cover both ends of the supported range.
#include <doctest/doctest.h>
#include <httplib.h>

#include <chrono>

#include "core/json.h"
#include "fixtures/fake_kube_api_server.h"
#include "support/kubectl_runner.h"

namespace test_fixtures_fake_kube_api_server {

using cxtm::Json;
using cxtm::testing::FakeKubeApiServer;
using cxtm::testing::Fault;
using cxtm::testing::Kubectl;
using cxtm::testing::kubefake::LogInstance;

namespace {

constexpr const char* kConfigMaps = "/api/v1/namespaces/default/configmaps/";

// Four ConfigMaps: a (app=web, tier=front), b (app=web, tier=back), c (app=db, env=""), d (none).
const std::string kLabelled = R"({"apiVersion": "v1", "kind": "List", "items": [
  {"apiVersion": "v1", "kind": "ConfigMap",
   "metadata": {"name": "a", "labels": {"app": "web", "tier": "front"}}, "data": {"k": "1"}},
  {"apiVersion": "v1", "kind": "ConfigMap",
   "metadata": {"name": "b", "labels": {"app": "web", "tier": "back"}}},
  {"apiVersion": "v1", "kind": "ConfigMap",
   "metadata": {"name": "c", "labels": {"app": "db", "env": ""}}},
  {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "d"}}]})";

std::string configmap(const std::string& name, const std::string& namespace_ = "default") {
  return Json{{"apiVersion", "v1"},
              {"kind", "ConfigMap"},
              {"metadata", {{"name", name}, {"namespace", namespace_}}},
              {"data", {{"k", "1"}}}}
      .dump();
}

// The names `kubectl get configmaps -o name` prints for a selector, space-separated.
std::string selected(const Kubectl& kubectl, const std::string& selector) {
  const std::string out = kubectl.ok({"get", "configmaps", "-l", selector, "-o", "name"});
  std::string names;
  for (size_t at = 0; at < out.size();) {
    const size_t end = out.find('\n', at);
    std::string line = out.substr(at, end - at);
    if (line.starts_with("configmap/")) line.erase(0, 10);
    names += (names.empty() ? "" : " ") + line;
    at = end == std::string::npos ? out.size() : end + 1;
  }
  return names;
}

std::string resource_version(const Json& object) {
  return object["metadata"].value("resourceVersion", "");
}

// The raw answer of the fake to one HTTP request, for asserting Status bodies exactly.
struct RawAnswer {
  int status = 0;
  Json body;
};

RawAnswer raw(const FakeKubeApiServer& server, const std::string& method, const std::string& path,
              const std::string& body = "") {
  httplib::Client client(server.url());
  const auto result = method == "GET"    ? client.Get(path)
                      : method == "POST" ? client.Post(path, body, "application/json")
                      : method == "PUT"  ? client.Put(path, body, "application/json")
                                         : client.Patch(path, body, "application/merge-patch+json");
  REQUIRE(result);
  return {result->status, Json::parse(result->body)};
}

}  // namespace

TEST_SUITE("fixtures/fake_kube_api_server") {
  TEST_CASE("log options are validated before the pod is read: 422 PodLogOptions") {
    FakeKubeApiServer server;
    // No such pod: the options are refused first, as the real server's log REST does.
    const auto zero = raw(server, "GET", "/api/v1/namespaces/default/pods/p/log?limitBytes=0");
    CHECK(zero.status == 422);
    CHECK(zero.body["reason"] == "Invalid");
    CHECK(zero.body["message"] ==
          "PodLogOptions \"p\" is invalid: limitBytes: Invalid value: 0: must be greater than 0");
    const auto both =
        raw(server, "GET", "/api/v1/namespaces/default/pods/p/log?tailLines=-2&limitBytes=-1");
    CHECK(both.status == 422);
    CHECK(both.body["message"] ==
          "PodLogOptions \"p\" is invalid: [tailLines: Invalid value: -2: must be greater than "
          "or equal to 0, limitBytes: Invalid value: -1: must be greater than 0]");
    CHECK(both.body["details"]["causes"].size() == 2);
    // Valid options on a missing pod: the pod's 404.
    CHECK(raw(server, "GET", "/api/v1/namespaces/default/pods/p/log?limitBytes=10").status == 404);
  }

  TEST_CASE("timestamps=true puts each line after its time, in nanoseconds, before limitBytes") {
    FakeKubeApiServer server;
    server.put_object(
        Json{{"apiVersion", "v1"},
             {"kind", "Pod"},
             {"metadata", {{"name", "p"}, {"namespace", "default"}}},
             {"spec", {{"nodeName", "node-1"}, {"containers", Json::array({{{"name", "app"}}})}}}});
    const std::string path = "/api/v1/namespaces/default/pods/p";
    std::string started;  // the kubelet's startedAt, once the container runs
    REQUIRE(server.wait_until([&] {
      const auto pod = server.get(path);
      if (!pod) return false;
      started = pod->value("/status/containerStatuses/0/state/running/startedAt"_json_pointer,
                           std::string());
      return !started.empty();
    }));
    REQUIRE(started.size() == 20);  // "2025-01-01T10:00:00Z"
    const std::string at = started.substr(0, 19) + ".000000000Z";
    server.set_log("default", "p", "app", "one\ntwo\n");
    httplib::Client client(server.url());
    const auto at_start = client.Get(path + "/log?timestamps=true");
    REQUIRE(at_start);
    CHECK(at_start->body == at + " one\n" + at + " two\n");
    // A log written later (the kubelet's rotated file), cut by limitBytes after the times.
    server.set_log("default", "p", "app", "three\n", LogInstance::current,
                   "2025-01-02T10:00:00.5Z");
    const auto later = client.Get(path + "/log?timestamps=true&limitBytes=25");
    REQUIRE(later);
    CHECK(later->body == "2025-01-02T10:00:00.5Z th");
    const auto plain = client.Get(path + "/log");
    REQUIRE(plain);
    CHECK(plain->body == "three\n");
  }

  TEST_CASE("kubectl lists the seeded namespaces") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    const auto result = kubectl.run({"get", "namespaces", "-o", "name"});
    CHECK(result.err == "");
    CHECK(result.out == "namespace/default\nnamespace/kube-public\nnamespace/kube-system\n");
  }

  TEST_CASE("create, get and list with every label selector operator") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    kubectl.ok({"create", "-f", "-"}, kLabelled);
    CHECK(server.write_count() == 4);

    const Json a = Json::parse(kubectl.ok({"get", "configmap", "a", "-o", "json"}));
    CHECK(a["data"]["k"] == "1");
    CHECK(a["metadata"]["namespace"] == "default");
    CHECK_FALSE(a["metadata"].value("uid", "").empty());
    CHECK_FALSE(a["metadata"].value("creationTimestamp", "").empty());
    CHECK_FALSE(resource_version(a).empty());

    CHECK(selected(kubectl, "app=web") == "a b");
    CHECK(selected(kubectl, "app==web") == "a b");
    CHECK(selected(kubectl, "app!=web") == "c d");  // a missing label is "not equal" too
    CHECK(selected(kubectl, "tier in (front,back)") == "a b");
    CHECK(selected(kubectl, "tier notin (front)") == "b c d");
    CHECK(selected(kubectl, "tier") == "a b");
    CHECK(selected(kubectl, "!tier") == "c d");
    CHECK(selected(kubectl, "app=web,tier notin (back)") == "a");
    // The empty value: "env in ()" is the set {""}, as apimachinery parses it.
    CHECK(selected(kubectl, "env in ()") == "c");
    CHECK(selected(kubectl, "env=") == "c");
    CHECK(selected(kubectl, "tier in (front,,x)") == "a");
    CHECK(selected(kubectl, "app=nothing") == "");

    const auto bad = kubectl.run({"get", "configmaps", "-l", "app in web", "-o", "name"});
    CHECK(bad.exit_code != 0);
    CHECK(bad.err.find("Error from server (BadRequest)") != std::string::npos);
    CHECK(bad.err.find("unable to parse requirement: found 'web' expected: '('") !=
          std::string::npos);

    CHECK(kubectl.ok({"get", "configmaps", "--field-selector", "metadata.name=b", "-o", "name"}) ==
          "configmap/b\n");
    const auto unsupported =
        kubectl.run({"get", "configmaps", "--field-selector", "data.k=1", "-o", "name"});
    CHECK(unsupported.exit_code != 0);
    CHECK(unsupported.err.find("field label not supported: data.k") != std::string::npos);
  }

  TEST_CASE("lists span namespaces with --all-namespaces and keep to one without") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    kubectl.ok({"create", "-f", "-"},
               R"({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}})");
    kubectl.ok({"create", "-f", "-"}, configmap("x", "team"));
    kubectl.ok({"create", "-f", "-"}, configmap("y"));
    CHECK(kubectl.ok({"get", "configmaps", "-o", "name"}) == "configmap/y\n");
    CHECK(kubectl.ok({"get", "configmaps", "-n", "team", "-o", "name"}) == "configmap/x\n");
    const Json all = Json::parse(kubectl.ok({"get", "configmaps", "-A", "-o", "json"}));
    REQUIRE(all["items"].size() == 2);
    CHECK(all["items"][0]["metadata"]["namespace"] == "default");
    CHECK(all["items"][1]["metadata"]["namespace"] == "team");
    CHECK(all["items"][1]["kind"] == "ConfigMap");  // kubectl fills the kind of list items
  }

  TEST_CASE("create answers AlreadyExists and a missing namespace as the real server does") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    kubectl.ok({"create", "-f", "-"}, configmap("a"));
    const auto again = kubectl.run({"create", "-f", "-"}, configmap("a"));
    CHECK(again.exit_code == 1);
    CHECK(again.err.find("Error from server (AlreadyExists)") != std::string::npos);
    CHECK(again.err.find("configmaps \"a\" already exists") != std::string::npos);
    const auto nowhere = kubectl.run({"create", "-f", "-"}, configmap("a", "nowhere"));
    CHECK(nowhere.exit_code == 1);
    CHECK(nowhere.err.find("Error from server (NotFound)") != std::string::npos);
    CHECK(nowhere.err.find("namespaces \"nowhere\" not found") != std::string::npos);
    CHECK(server.write_count() == 1);
  }

  TEST_CASE("replace with a stale resourceVersion is a 409 with the real message") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    kubectl.ok({"create", "-f", "-"}, configmap("a"));
    const std::string stale = kubectl.ok({"get", "configmap", "a", "-o", "json"});
    kubectl.ok({"label", "configmap", "a", "changed=yes"});
    const int writes = server.write_count();

    const auto conflict = kubectl.run({"replace", "-f", "-"}, stale);
    CHECK(conflict.exit_code == 1);
    CHECK(conflict.err.find("Error from server (Conflict)") != std::string::npos);
    CHECK(conflict.err.find("Operation cannot be fulfilled on configmaps \"a\": the object has "
                            "been modified; please apply your changes to the latest version and "
                            "try again") != std::string::npos);
    CHECK(server.write_count() == writes);
    CHECK(server.get(std::string(kConfigMaps) + "a")
              ->at("metadata")
              .at("labels")
              .value("changed", "") == "yes");

    // With the current resourceVersion the same replace goes through and gets a new one.
    Json current = Json::parse(kubectl.ok({"get", "configmap", "a", "-o", "json"}));
    current["data"]["k"] = "2";
    const Json replaced =
        Json::parse(kubectl.ok({"replace", "-o", "json", "-f", "-"}, current.dump()));
    CHECK(replaced["data"]["k"] == "2");
    CHECK(std::stoll(resource_version(replaced)) > std::stoll(resource_version(current)));
    CHECK(server.write_count() == writes + 1);

    // Another writer between our read and our write: the precondition fails again.
    Json fresh = Json::parse(kubectl.ok({"get", "configmap", "a", "-o", "json"}));
    server.bump_before_next_write(std::string(kConfigMaps) + "a");
    fresh["data"]["k"] = "3";
    const auto raced = kubectl.run({"replace", "-f", "-"}, fresh.dump());
    CHECK(raced.exit_code == 1);
    CHECK(raced.err.find("the object has been modified") != std::string::npos);
    CHECK(server.get(std::string(kConfigMaps) + "a")->at("data")["k"] == "2");
  }

  TEST_CASE("errors are Status bodies with the real code, reason, message and details") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    kubectl.ok({"create", "-f", "-"}, configmap("a"));

    const auto missing = raw(server, "GET", "/apis/apps/v1/namespaces/default/deployments/x");
    CHECK(missing.status == 404);
    CHECK(missing.body == Json::parse(R"({"kind": "Status", "apiVersion": "v1", "metadata": {},
        "status": "Failure", "message": "deployments.apps \"x\" not found", "reason": "NotFound",
        "details": {"name": "x", "group": "apps", "kind": "deployments"}, "code": 404})"));
    const auto get_missing = kubectl.run({"get", "deployment", "x"});
    CHECK(get_missing.err == "Error from server (NotFound): deployments.apps \"x\" not found\n");

    const auto exists =
        raw(server, "POST", "/api/v1/namespaces/default/configmaps", configmap("a"));
    CHECK(exists.status == 409);
    CHECK(exists.body["reason"] == "AlreadyExists");
    CHECK(exists.body["message"] == "configmaps \"a\" already exists");
    CHECK(exists.body["details"] == Json::parse(R"({"name": "a", "kind": "configmaps"})"));

    Json stale = Json::parse(configmap("a"));
    stale["metadata"]["resourceVersion"] = "1";
    const auto conflict = raw(server, "PUT", std::string(kConfigMaps) + "a", stale.dump());
    CHECK(conflict.status == 409);
    CHECK(conflict.body["reason"] == "Conflict");
    CHECK(conflict.body["details"] == Json::parse(R"({"name": "a", "kind": "configmaps"})"));

    const auto invalid = raw(server, "POST", "/apis/apps/v1/namespaces/default/deployments", R"({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {"selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "other"}},
                              "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}})");
    CHECK(invalid.status == 422);
    CHECK(invalid.body["reason"] == "Invalid");
    CHECK(invalid.body["message"] ==
          "Deployment.apps \"web\" is invalid: spec.template.metadata.labels: Invalid value: "
          "map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`");
    CHECK(invalid.body["details"]["kind"] == "Deployment");
    CHECK(invalid.body["details"]["group"] == "apps");
    CHECK(invalid.body["details"]["causes"][0]["field"] == "spec.template.metadata.labels");
    CHECK(invalid.body["details"]["causes"][0]["reason"] == "FieldValueInvalid");

    server.inject({.method = "GET", .path_regex = "/configmaps/a", .status = 403});
    const auto denied = raw(server, "GET", std::string(kConfigMaps) + "a");
    CHECK(denied.status == 403);
    CHECK(denied.body == Json::parse(R"({"kind": "Status", "apiVersion": "v1", "metadata": {},
        "status": "Failure", "message": "configmaps \"a\" is forbidden: User \"fake-user\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"default\"",
        "reason": "Forbidden", "details": {"name": "a", "kind": "configmaps"}, "code": 403})"));
  }

  TEST_CASE("injected faults: 403 in RBAC's words, 500, only the chosen method, a set count") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    kubectl.ok({"create", "-f", "-"}, configmap("a"));

    server.inject({.method = "GET", .path_regex = "/configmaps/a\\b", .status = 403});
    const auto forbidden = kubectl.run({"get", "configmap", "a", "-o", "name"});
    CHECK(forbidden.exit_code == 1);
    CHECK(forbidden.err ==
          "Error from server (Forbidden): configmaps \"a\" is forbidden: User \"fake-user\" "
          "cannot get resource \"configmaps\" in API group \"\" in the namespace \"default\"\n");
    CHECK(kubectl.ok({"get", "configmap", "a", "-o", "name"}) == "configmap/a\n");  // times=1

    server.inject({.method = "GET",
                   .path_regex = "/apis/apps/v1/namespaces/default/daemonsets\\?",
                   .status = 403});
    const auto list_denied = kubectl.run({"get", "daemonsets"});
    CHECK(list_denied.err.find("daemonsets.apps is forbidden: User \"fake-user\" cannot list "
                               "resource \"daemonsets\" in API group \"apps\" in the namespace "
                               "\"default\"") != std::string::npos);

    server.inject({.method = "PATCH",
                   .path_regex = "/configmaps/a",
                   .status = 500,
                   .message = "Internal error occurred: etcdserver: request timed out",
                   .times = -1});
    for (int attempt = 0; attempt < 2; ++attempt) {
      const auto failed = kubectl.run({"label", "configmap", "a", "x=y"});
      CHECK(failed.exit_code == 1);
      CHECK(failed.err.find("Error from server (InternalError)") != std::string::npos);
      CHECK(failed.err.find("etcdserver: request timed out") != std::string::npos);
    }
    CHECK(kubectl.ok({"get", "configmap", "a", "-o", "name"}) == "configmap/a\n");  // GET: no fault
    CHECK(server.write_count() == 1);

    int answered_500 = 0;
    for (const auto& request : server.requests()) answered_500 += request.status == 500 ? 1 : 0;
    CHECK(answered_500 == 2);
  }

  TEST_CASE("latency: a delayed answer is the normal answer, a hang meets kubectl's timeout") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    kubectl.ok({"create", "-f", "-"}, configmap("a"));
    server.inject({.method = "GET",
                   .path_regex = "/configmaps/a",
                   .answer = cxtm::testing::FaultAnswer::hang,
                   .delay = std::chrono::milliseconds(300)});
    CHECK(kubectl.ok({"get", "configmap", "a", "-o", "jsonpath={.data.k}"}) == "1");
    const auto delayed = server.requests().back();
    CHECK(delayed.path == std::string(kConfigMaps) + "a");
    CHECK(delayed.status == 200);

    server.inject({.method = "GET",
                   .path_regex = "/configmaps/a",
                   .answer = cxtm::testing::FaultAnswer::hang});
    const auto hung = kubectl.run({"--request-timeout=1s", "get", "configmap", "a"});
    CHECK(hung.exit_code == 1);
    const bool timed_out = hung.err.find("Timeout") != std::string::npos ||
                           hung.err.find("deadline exceeded") != std::string::npos;
    CHECK_MESSAGE(timed_out, hung.err);
  }

  TEST_CASE("server-side dry run validates and answers but stores nothing") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    const std::string created =
        kubectl.ok({"create", "--dry-run=server", "-o", "json", "-f", "-"}, configmap("a"));
    CHECK(Json::parse(created)["metadata"]["name"] == "a");
    CHECK_FALSE(server.get(std::string(kConfigMaps) + "a"));
    CHECK(server.write_count() == 0);

    const auto invalid = kubectl.run({"create", "--dry-run=server", "-f", "-"}, configmap("A_b"));
    CHECK(invalid.exit_code == 1);
    CHECK(invalid.err.find("is invalid: metadata.name: Invalid value: \"A_b\"") !=
          std::string::npos);

    kubectl.ok({"create", "-f", "-"}, configmap("a"));
    kubectl.ok({"delete", "configmap", "a", "--dry-run=server"});
    kubectl.ok({"label", "configmap", "a", "x=y", "--dry-run=server"});
    const auto stored = server.get(std::string(kConfigMaps) + "a");
    REQUIRE(stored);
    CHECK_FALSE((*stored)["metadata"].contains("labels"));
    CHECK(server.write_count() == 1);
  }

  TEST_CASE(
      "an unknown field of a built-in kind: refused under fieldValidation=Strict, else dropped "
      "with a warning") {
    FakeKubeApiServer server;
    httplib::Client client(server.url());
    const std::string deployments = "/apis/apps/v1/namespaces/default/deployments";
    // A typo deep in the pod template.
    const std::string deployment = R"({"apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": {"name": "web", "namespace": "default", "labels": {"any-key": "kept"}},
      "spec": {"selector": {"matchLabels": {"app": "web"}},
        "template": {"metadata": {"labels": {"app": "web"}},
          "spec": {"containers": [{"name": "web", "image": "web:1",
                                   "imagePullPolicyy": "Always"}]}}}})";
    const auto strict =
        client.Post(deployments + "?fieldValidation=Strict", deployment, "application/json");
    REQUIRE(strict);
    CHECK(strict->status == 400);
    const Json status = Json::parse(strict->body);
    CHECK(status["reason"] == "BadRequest");
    CHECK(status["message"] ==
          "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding "
          "error: unknown field \"spec.template.spec.containers[0].imagePullPolicyy\"");
    CHECK(server.write_count() == 0);

    // No fieldValidation is Warn, the server's default.
    const auto warned = client.Post(deployments, deployment, "application/json");
    REQUIRE(warned);
    CHECK(warned->status == 201);
    CHECK(warned->get_header_value("Warning") ==
          "299 - \"unknown field \\\"spec.template.spec.containers[0].imagePullPolicyy\\\"\"");
    const auto stored = server.get(deployments + "/web");
    REQUIRE(stored);
    const Json& container = (*stored)["spec"]["template"]["spec"]["containers"][0];
    CHECK(container["image"] == "web:1");
    CHECK_FALSE(container.contains("imagePullPolicyy"));
    CHECK((*stored)["metadata"]["labels"]["any-key"] == "kept");  // a map's keys are names

    const std::string service = R"({"apiVersion": "v1", "kind": "Service",
      "metadata": {"name": "web", "namespace": "default"},
      "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetport": 8080}]}})";
    const auto ignored = client.Post("/api/v1/namespaces/default/services?fieldValidation=Ignore",
                                     service, "application/json");
    REQUIRE(ignored);
    CHECK(ignored->status == 201);
    CHECK_FALSE(ignored->has_header("Warning"));
    CHECK_FALSE(Json::parse(ignored->body)["spec"]["ports"][0].contains("targetport"));

    // kubectl names the field: refused (1.25+ asks Strict by default) or warned (older ones).
    const Kubectl kubectl(server);
    std::string typo = service;
    typo.replace(typo.find("\"name\": \"web\""), 13, "\"name\": \"api\"");
    const auto applied = kubectl.run({"apply", "-f", "-"}, typo);
    CHECK(applied.err.find("unknown field \"spec.ports[0].targetport\"") != std::string::npos);
  }

  TEST_CASE("the status subresource: main writes keep status, status writes keep the rest") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    const std::string path = "/api/v1/namespaces/default/services/web";
    kubectl.ok({"create", "-f", "-"}, R"({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]},
        "status": {"loadBalancer": {"ingress": [{"ip": "192.0.2.1"}]}}})");
    Json service = *server.get(path);
    CHECK(service["status"] == Json::parse(R"({"loadBalancer": {}})"));  // the client's is dropped

    service["spec"]["ports"][0]["port"] = 8080;
    service["status"]["loadBalancer"]["ingress"] = Json::parse(R"([{"ip": "192.0.2.7"}])");
    kubectl.ok({"replace", "--raw", path + "/status", "-f", "-"}, service.dump());
    service = *server.get(path);
    CHECK(service["status"]["loadBalancer"]["ingress"][0]["ip"] == "192.0.2.7");
    CHECK(service["spec"]["ports"][0]["port"] == 80);

    service["spec"]["ports"][0]["port"] = 8081;
    service["status"]["loadBalancer"] = Json::object();
    kubectl.ok({"replace", "-f", "-"}, service.dump());
    service = *server.get(path);
    CHECK(service["spec"]["ports"][0]["port"] == 8081);
    CHECK(service["status"]["loadBalancer"]["ingress"][0]["ip"] == "192.0.2.7");

    // metadata.generation counts spec changes only, not status writes.
    kubectl.ok({"create", "-f", "-"}, R"({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web"}, "spec": {"selector": {"matchLabels": {"app": "web"}},
        "template": {"metadata": {"labels": {"app": "web"}},
                     "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}]}}}})");
    const std::string deployment_path = "/apis/apps/v1/namespaces/default/deployments/web";
    Json deployment = *server.get(deployment_path);
    CHECK(deployment["metadata"]["generation"] == 1);
    deployment["spec"]["replicas"] = 5;
    // Unconditional: its controller writes the status too, each time with a new resourceVersion.
    deployment["metadata"].erase("resourceVersion");
    kubectl.ok({"replace", "--raw", deployment_path + "/status", "-f", "-"}, deployment.dump());
    deployment = *server.get(deployment_path);
    CHECK(deployment["metadata"]["generation"] == 1);
    CHECK(deployment["spec"]["replicas"] == 1);
    kubectl.ok({"patch", "deployment", "web", "-p", R"({"spec": {"replicas": 2}})"});
    CHECK(server.get(deployment_path)->at("metadata")["generation"] == 2);
  }
}

}  // namespace test_fixtures_fake_kube_api_server
