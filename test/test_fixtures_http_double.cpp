// The fault language the doubles share (fixtures/http_double.h), as the real kubectl meets it
// through the Kubernetes API server double: a write that commits and then loses its answer,
// a dropped connection, transient errors with and without Retry-After.
#include <doctest/doctest.h>

#include <chrono>

#include "core/json.h"
#include "fixtures/fake_kube_api_server.h"
#include "support/kubectl_runner.h"

namespace test_fixtures_http_double {

using cxtm::Json;
using cxtm::testing::FakeKubeApiServer;
using cxtm::testing::FaultAnswer;
using cxtm::testing::FaultTiming;
using cxtm::testing::Kubectl;

namespace {

constexpr const char* kConfigMap = "/api/v1/namespaces/default/configmaps/a";

std::string configmap(const std::string& value) {
  return Json{{"apiVersion", "v1"},
              {"kind", "ConfigMap"},
              {"metadata", {{"name", "a"}, {"namespace", "default"}}},
              {"data", {{"k", value}}}}
      .dump();
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_SUITE("fixtures/http_double") {
  TEST_CASE("a write that commits and then answers 500: kubectl fails, the object is there") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    server.inject({.method = "POST",
                   .path_regex = "/configmaps",
                   .status = 500,
                   .timing = FaultTiming::after});
    const auto created = kubectl.run({"create", "-f", "-"}, configmap("1"));
    INFO(created.err);
    CHECK(created.exit_code != 0);
    CHECK(has(created.err, "(InternalError)"));
    REQUIRE(server.get(kConfigMap));
    CHECK((*server.get(kConfigMap))["data"]["k"] == "1");
    const auto request = server.requests().back();
    CHECK(request.served);
    CHECK(request.faulted);
    CHECK(request.status == 500);
  }

  TEST_CASE("a write that commits and then drops the connection: kubectl fails, it landed") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    kubectl.ok({"create", "-f", "-"}, configmap("1"));
    server.inject({.method = "PUT",
                   .path_regex = "/configmaps/a",
                   .answer = FaultAnswer::drop,
                   .timing = FaultTiming::after});
    const auto replaced = kubectl.run({"replace", "-f", "-"}, configmap("2"));
    INFO(replaced.err);
    CHECK(replaced.exit_code != 0);
    CHECK(has(replaced.err, "unexpected EOF"));
    CHECK((*server.get(kConfigMap))["data"]["k"] == "2");
    CHECK(server.requests().back().status == 0);
  }

  TEST_CASE("a write that commits and then hangs: kubectl times out, it landed") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    kubectl.ok({"create", "-f", "-"}, configmap("1"));
    server.inject({.method = "PUT",
                   .path_regex = "/configmaps/a",
                   .answer = FaultAnswer::hang,
                   .timing = FaultTiming::after});
    const auto replaced =
        kubectl.run({"--request-timeout=1s", "replace", "-f", "-"}, configmap("2"));
    INFO(replaced.err);
    CHECK(replaced.exit_code != 0);
    // Go's client says one or the other, depending on which timer fires first.
    CHECK((has(replaced.err, "context deadline exceeded") ||
           has(replaced.err, "Client.Timeout exceeded")));
    CHECK((*server.get(kConfigMap))["data"]["k"] == "2");
  }

  TEST_CASE("a dropped read: kubectl reports it, the next read answers") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    kubectl.ok({"create", "-f", "-"}, configmap("1"));
    server.inject({.method = "GET", .path_regex = "/configmaps/a", .answer = FaultAnswer::drop});
    const auto dropped = kubectl.run({"get", "configmap", "a", "-o", "json"});
    INFO(dropped.err);
    CHECK(dropped.exit_code != 0);
    CHECK(has(dropped.err, "unexpected EOF"));
    CHECK(kubectl.ok({"get", "configmap", "a", "-o", "jsonpath={.data.k}"}) == "1");
  }

  TEST_CASE("429 and 503 with Retry-After: kubectl waits and retries by itself") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    kubectl.ok({"create", "-f", "-"}, configmap("1"));
    server.inject(
        {.method = "GET", .path_regex = "/configmaps/a", .status = 429, .retry_after = 1});
    server.inject(
        {.method = "GET", .path_regex = "/configmaps/a", .status = 503, .retry_after = 1});
    CHECK(kubectl.ok({"get", "configmap", "a", "-o", "jsonpath={.data.k}"}) == "1");
    int refused = 0;
    for (const auto& request : server.requests()) refused += request.faulted ? 1 : 0;
    CHECK(refused == 2);
  }

  TEST_CASE("429, 500 and 503 without Retry-After: kubectl gives up at once, with the reason") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    kubectl.ok({"create", "-f", "-"}, configmap("1"));
    for (const auto& answer :
         {std::pair{429, "(TooManyRequests)"}, std::pair{500, "(InternalError)"},
          std::pair{503, "(ServiceUnavailable)"}}) {
      const int status = answer.first;
      const char* reason = answer.second;
      CAPTURE(status);
      server.inject({.method = "GET", .path_regex = "/configmaps/a", .status = status});
      const auto refused = kubectl.run({"get", "configmap", "a", "-o", "json"});
      INFO(refused.err);
      CHECK(refused.exit_code != 0);
      CHECK(has(refused.err, reason));
    }
  }
}

}  // namespace test_fixtures_http_double
