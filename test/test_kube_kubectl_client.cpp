#include <doctest/doctest.h>

#include "core/error.h"
#include "core/redact.h"
#include "fixtures/fake_kube_api_server.h"
#include "kube/kubectl_client.h"
#include "kube/kubectl_errors.h"
#include "support/kubectl_runner.h"
#include "support/temp_dir.h"

namespace test_kube_kubectl_client {

using cxtm::ExitCode;
using cxtm::Json;
using namespace cxtm::kube;

namespace {

// A stand-in kubectl that records its arguments and stdin and answers what the test says.
struct StubKubectl {
  cxtm::testing::TempDir dir;
  std::filesystem::path path;

  StubKubectl(const std::string& stdout_text, const std::string& stderr_text, int exit_code) {
    dir.write("stdout", stdout_text);
    dir.write("stderr", stderr_text);
    const std::string d = dir.path().string();
    path = dir.write("kubectl",
                     "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + d + "/argv\ncat > " + d +
                         "/stdin\ncat " + d + "/stdout\ncat " + d + "/stderr >&2\nexit " +
                         std::to_string(exit_code) + "\n",
                     true);
  }
  KubectlClient client() const {
    return KubectlClient({.kubectl = path.string(), .kubeconfig = "/k/config", .context = "poc"});
  }
  std::string argv() const { return dir.read("argv"); }
  std::string stdin_text() const { return dir.read("stdin"); }
};

ExitCode code_for(const std::string& stderr_text) {
  return kubectl_failure("x", {.exit_code = 1, .out = "", .err = stderr_text}).code();
}

}  // namespace

TEST_SUITE("kube/kubectl_client") {
  TEST_CASE("get passes global flags first and parses the object") {
    StubKubectl stub(R"({"kind":"Deployment","metadata":{"name":"d"}})", "", 0);
    auto client = stub.client();
    const auto object = client.get({"apps/v1", "Deployment", "default", "d"});
    REQUIRE(object);
    CHECK((*object)["kind"] == "Deployment");
    CHECK(stub.argv() ==
          "--kubeconfig=/k/config\n--context=poc\n--request-timeout=30s\nget\n"
          "deployment.v1.apps/d\n--output=json\n--namespace\ndefault\n");
  }

  TEST_CASE("NotFound on get is an empty answer, not an error") {
    StubKubectl stub("", "Error from server (NotFound): deployments.apps \"d\" not found\n", 1);
    auto client = stub.client();
    CHECK_FALSE(client.get({"apps/v1", "Deployment", "default", "d"}));
  }

  TEST_CASE("apply sends the object on stdin, never in argv") {
    const std::string token = "fakeCanaryToken-0123456789abcdef";
    StubKubectl stub(R"({"kind":"Secret"})", "", 0);
    auto client = stub.client();
    const Json secret = {{"apiVersion", "v1"},
                         {"kind", "Secret"},
                         {"metadata", {{"name", "s"}, {"namespace", "default"}}},
                         {"stringData", {{"token", token}}}};
    client.apply(secret, DryRun::server, kFieldManager);
    CHECK(stub.argv().find(token) == std::string::npos);
    CHECK(stub.stdin_text().find(token) != std::string::npos);
    CHECK(stub.argv().find("--server-side\n--field-manager=cxtm-o11y\n--force-conflicts") !=
          std::string::npos);
    CHECK(stub.argv().find("--dry-run=server") != std::string::npos);
  }

  TEST_CASE("list passes the selector and returns the items") {
    StubKubectl stub(R"({"kind":"List","items":[{"a":1},{"a":2}]})", "", 0);
    auto client = stub.client();
    const auto items = client.list("pods", "default", "app.kubernetes.io/name=scheduler");
    CHECK(items.size() == 2);
    CHECK(stub.argv().find("--selector=app.kubernetes.io/name=scheduler") != std::string::npos);
  }

  TEST_CASE("a failure is one line naming the action, with its exit code") {
    StubKubectl stub("",
                     "Error from server (Forbidden): deployments.apps \"d\" is forbidden: User "
                     "\"ci\" cannot get resource\nmore detail\n",
                     1);
    auto client = stub.client();
    try {
      client.get({"apps/v1", "Deployment", "default", "d"});
      FAIL("expected an error");
    } catch (const cxtm::Error& e) {
      CHECK(e.code() == ExitCode::forbidden);
      CHECK(std::string(e.what()) ==
            "kubectl get Deployment default/d: Error from server (Forbidden): deployments.apps "
            "\"d\" is forbidden: User \"ci\" cannot get resource");
    }
  }

  TEST_CASE(
      "get_each: one kubectl per namespace, whose failure names the first object and a count") {
    StubKubectl stub("",
                     "Error from server (Forbidden): clusterroles.rbac.authorization.k8s.io "
                     "\"otel-collector\" is forbidden\n",
                     1);
    auto client = stub.client();
    try {
      client.get_each({{"v1", "ServiceAccount", "default", "otel-collector"},
                       {"rbac.authorization.k8s.io/v1", "ClusterRole", "", "otel-collector"},
                       {"v1", "Service", "default", "otel-collector"}});
      FAIL("expected an error");
    } catch (const cxtm::Error& e) {
      CHECK(e.code() == ExitCode::forbidden);
      CHECK(std::string(e.what()) ==
            "kubectl get ServiceAccount default/otel-collector and 2 more: Error from server "
            "(Forbidden): clusterroles.rbac.authorization.k8s.io \"otel-collector\" is "
            "forbidden");
    }
    // The cluster-scoped one goes with the namespace's (-n does not apply to it).
    CHECK(stub.argv() ==
          "--kubeconfig=/k/config\n--context=poc\n--request-timeout=30s\nget\n"
          "serviceaccount/otel-collector\nservice/otel-collector\n"
          "clusterrole.v1.rbac.authorization.k8s.io/otel-collector\n--ignore-not-found\n"
          "--output=json\n--namespace\ndefault\n");
  }

  TEST_CASE("causes map to their exit codes") {
    CHECK(code_for("Error from server (NotFound): x") == ExitCode::not_found);
    CHECK(code_for("Error from server (Unauthorized): x") == ExitCode::forbidden);
    CHECK(code_for("error: You must be logged in to the server (Unauthorized)") ==
          ExitCode::forbidden);
    CHECK(code_for("Error from server (Conflict): Operation cannot be fulfilled on "
                   "deployments.apps \"d\": the object has been modified") == ExitCode::conflict);
    CHECK(code_for("Error from server (AlreadyExists): x") == ExitCode::conflict);
    CHECK(code_for("Error from server (InternalError): x") == ExitCode::api_error);
    CHECK(code_for("Error from server (Invalid): x") == ExitCode::api_error);
    CHECK(code_for("Error from server (Timeout): x") == ExitCode::timeout);
    CHECK(code_for("The connection to the server 127.0.0.1:1 was refused - did you specify the "
                   "right host or port?") == ExitCode::kubectl);
    CHECK(code_for("error: unknown flag: --server-side") == ExitCode::kubectl);
    CHECK(
        kubectl_failure("x", {.exit_code = 143, .out = "", .err = "", .timed_out = true}).code() ==
        ExitCode::timeout);
  }

  TEST_CASE("client-go's log lines give way to kubectl's own verdict") {
    const std::string refused =
        "E1125 10:25:20.365093    8740 memcache.go:265] \"Unhandled Error\" err=\"couldn't get "
        "current server API group list: Get \\\"http://127.0.0.1:1/api?timeout=30s\\\": dial tcp "
        "127.0.0.1:1: connect: connection refused\"\n"
        "E1125 10:25:20.371984    8740 memcache.go:265] \"Unhandled Error\" err=\"...\"\n"
        "The connection to the server 127.0.0.1:1 was refused - did you specify the right host "
        "or port?\n";
    const auto error = kubectl_failure("get Secret default/s", {.exit_code = 1, .err = refused});
    CHECK(error.code() == ExitCode::kubectl);
    CHECK(std::string(error.what()) ==
          "kubectl get Secret default/s: The connection to the server 127.0.0.1:1 was refused - "
          "did you specify the right host or port?");
    // Only log lines: the first still says what went wrong.
    const auto only_logs = kubectl_failure(
        "get x", {.exit_code = 1, .err = "W1125 10:25:20.365093  8740 loader.go:222] bad\n"});
    CHECK(std::string(only_logs.what()) ==
          "kubectl get x: W1125 10:25:20.365093  8740 loader.go:222] bad");
  }

  TEST_CASE("registered secrets are redacted from kubectl's errors") {
    cxtm::register_secret("fakeCanaryToken-redact-0123456789");
    const auto error = kubectl_failure(
        "apply Secret default/s",
        {.exit_code = 1,
         .out = "",
         .err = "Error from server (Invalid): value fakeCanaryToken-redact-0123456789 bad"});
    CHECK(std::string(error.what()).find("fakeCanaryToken") == std::string::npos);
    CHECK(std::string(error.what()).find("[REDACTED]") != std::string::npos);
  }
}

TEST_SUITE("kube/kubectl_client") {
  TEST_CASE("get_named: the real kubectl, one GET per name, the missing ones left out") {
    cxtm::testing::FakeKubeApiServer server;
    cxtm::testing::TempDir dir;
    KubectlClient client({.kubectl = cxtm::testing::test_kubectl(),
                          .kubeconfig = server.write_kubeconfig(dir.path()).string()});
    for (const char* name : {"a", "b"}) {
      server.put_object({{"apiVersion", "v1"},
                         {"kind", "ConfigMap"},
                         {"metadata", {{"name", name}, {"namespace", "default"}}}});
    }
    const auto names_of = [](const std::vector<Json>& objects) {
      std::vector<std::string> names;
      for (const Json& object : objects) names.push_back(object["metadata"]["name"]);
      return names;
    };
    CHECK(names_of(client.get_named("configmaps", "default", {"a", "missing", "b"})) ==
          std::vector<std::string>{"a", "b"});
    CHECK(names_of(client.get_named("configmaps", "default", {"b"})) ==
          std::vector<std::string>{"b"});
    CHECK(client.get_named("configmaps", "default", {"missing", "gone"}).empty());
    CHECK(client.get_named("configmaps", "default", {}).empty());
    // By name, never a list of the namespace.
    for (const auto& request : server.requests()) {
      CAPTURE(request.path);
      CHECK_FALSE(request.path.ends_with("/configmaps"));
    }
  }
}

}  // namespace test_kube_kubectl_client
