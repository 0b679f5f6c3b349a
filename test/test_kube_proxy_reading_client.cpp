// Reads through the run's `kubectl proxy` (kube/proxy_reading_client.h): the real kubectl proxy
// in front of the API server double. Objects and lists read as `kubectl get -o json` prints
// them, paths found by discovery, logs, access reviews, and kubectl (the inner client) for what
// the proxy cannot carry.
#include <doctest/doctest.h>

#include "fixtures/fake_kube_api_server.h"
#include "kube/api_discovery.h"
#include "kube/proxy_reading_client.h"
#include "support/fake_kube_client.h"
#include "support/kubectl_runner.h"
#include "support/temp_dir.h"

namespace test_kube_proxy_reading_client {

using cxtm::ExitCode;
using cxtm::Json;
using cxtm::testing::FakeKubeClient;
using cxtm::testing::KubeCall;
using namespace cxtm::kube;

namespace {

Json configmap(const std::string& name, const std::string& app) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}, {"namespace", "default"}, {"labels", {{"app", app}}}}},
          {"data", {{"k", "v"}}}};
}

// A ProxyReadingClient over the double, with a FakeKubeClient as its kubectl: what falls back
// to kubectl shows in the fake's call counts.
struct Reader {
  cxtm::testing::FakeKubeApiServer server;
  cxtm::testing::TempDir dir;
  FakeKubeClient* inner = nullptr;
  std::unique_ptr<ProxyReadingClient> client;
  std::vector<std::string> shown;  // -v's lines

  explicit Reader(std::string kubectl = cxtm::testing::test_kubectl()) {
    KubectlOptions options{.kubectl = std::move(kubectl),
                           .kubeconfig = server.write_kubeconfig(dir.path()).string(),
                           .request_timeout = "20s"};
    options.on_command = [this](const std::vector<std::string>& argv) {
      std::string line;
      for (const auto& word : argv) line += (line.empty() ? "" : " ") + word;
      shown.push_back(line);
    };
    auto fake = std::make_unique<FakeKubeClient>();
    inner = fake.get();
    client = std::make_unique<ProxyReadingClient>(std::move(fake),
                                                  std::make_shared<SharedProxy>(options), options);
  }
};

}  // namespace

TEST_SUITE("kube/api_discovery") {
  TEST_CASE("kinds and plural names map to paths as discovery lists them, subresources never") {
    const Json apps = {{"groupVersion", "apps/v1"},
                       {"resources",
                        {{{"name", "deployments/scale"}, {"kind", "Scale"}, {"namespaced", true}},
                         {{"name", "deployments"}, {"kind", "Deployment"}, {"namespaced", true}}}}};
    const auto deployment = resource_of_kind(apps, "Deployment");
    REQUIRE(deployment);
    CHECK(object_path(*deployment, "default", "cxtm-scheduler") ==
          "/apis/apps/v1/namespaces/default/deployments/cxtm-scheduler");
    CHECK_FALSE(resource_of_kind(apps, "Scale"));
    CHECK(resource_named(apps, "deployments"));
    CHECK_FALSE(resource_named(apps, "deployments/scale"));

    const Json core = {
        {"groupVersion", "v1"},
        {"resources", {{{"name", "nodes"}, {"kind", "Node"}, {"namespaced", false}}}}};
    const auto nodes = resource_named(core, "nodes");
    REQUIRE(nodes);
    CHECK(collection_path(*nodes, "default") == "/api/v1/nodes");
    CHECK(object_path(*nodes, "", "worker-1") == "/api/v1/nodes/worker-1");
  }

  TEST_CASE("a group's preferred version asked for once, a group not served asked again") {
    int fetched = 0;
    ApiDiscovery discovery([&](const std::string& path) -> std::optional<Json> {
      ++fetched;
      if (path == "/apis") {
        return Json{{"groups",
                     {{{"name", "apps"},
                       {"versions", {{{"groupVersion", "apps/v1"}}}},
                       {"preferredVersion", {{"groupVersion", "apps/v1"}}}}}}};
      }
      if (path == "/apis/apps/v1") {
        return Json{
            {"groupVersion", "apps/v1"},
            {"resources", {{{"name", "daemonsets"}, {"kind", "DaemonSet"}, {"namespaced", true}}}}};
      }
      return std::nullopt;
    });
    const auto daemonsets = discovery.by_name("daemonsets.apps");
    REQUIRE(daemonsets);
    CHECK(daemonsets->group_version == "apps/v1");
    CHECK(discovery.by_kind("apps/v1", "DaemonSet"));
    CHECK(fetched == 2);
    CHECK_FALSE(discovery.by_kind("opentelemetry.io/v1alpha1", "Instrumentation"));
    CHECK_FALSE(discovery.by_kind("opentelemetry.io/v1alpha1", "Instrumentation"));
    CHECK(fetched == 4);
    CHECK_FALSE(discovery.by_name("widgets.example.com"));
  }
}

TEST_SUITE("kube/proxy_reading_client") {
  TEST_CASE("objects and lists read as kubectl prints them, through one proxy, no kubectl run") {
    Reader reader;
    reader.server.put_object(configmap("first", "scheduler"));
    reader.server.put_object(configmap("second", "notifications"));
    auto& client = *reader.client;

    const auto first = client.get({"v1", "ConfigMap", "default", "first"});
    REQUIRE(first);
    CHECK((*first)["data"]["k"] == "v");
    CHECK_FALSE((*first)["metadata"].contains("managedFields"));
    CHECK_FALSE(client.get({"v1", "ConfigMap", "default", "absent"}));

    const auto listed = client.list("configmaps", "default", "app=notifications");
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["metadata"]["name"] == "second");
    CHECK(listed[0]["kind"] == "ConfigMap");
    CHECK(listed[0]["apiVersion"] == "v1");

    const auto named = client.get_named("configmaps", "default", {"absent", "first"});
    REQUIRE(named.size() == 1);
    CHECK(named[0]["metadata"]["name"] == "first");
    const auto each = client.get_each(
        {{"v1", "ConfigMap", "default", "second"}, {"v1", "ConfigMap", "default", "absent"}});
    REQUIRE(each.size() == 2);
    CHECK(each[0].has_value());
    CHECK_FALSE(each[1].has_value());

    CHECK(client.serves("v1", "configmaps"));
    CHECK_FALSE(client.serves("opentelemetry.io/v1alpha1", "instrumentations"));
    CHECK(client.can_i({{.verb = "get", .resource = "configmaps", .namespace_ = "default"}}) ==
          std::vector<bool>{true});
    reader.server.deny("create", "deployments", "apps");
    CHECK(client.can_i({{.verb = "create", .resource = "deployments.apps"},
                        {.verb = "list", .resource = "pods"}}) == std::vector<bool>{false, true});

    // -v shows each request; kubectl ran once, as the proxy.
    CHECK(std::find(reader.shown.begin(), reader.shown.end(),
                    "GET /api/v1/namespaces/default/configmaps/first") != reader.shown.end());
    CHECK(std::count_if(reader.shown.begin(), reader.shown.end(), [](const std::string& line) {
            return line.find(" proxy ") != std::string::npos;
          }) == 1);
    CHECK(reader.inner->calls(KubeCall::get) == 0);
    CHECK(reader.inner->calls(KubeCall::list) == 0);
    CHECK(reader.inner->calls(KubeCall::get_named) == 0);
  }

  TEST_CASE("the server's refusals read as kubectl's own reports of them") {
    Reader reader;
    reader.server.inject({.method = "GET", .path_regex = "/configmaps/first", .status = 403});
    try {
      reader.client->get({"v1", "ConfigMap", "default", "first"});
      FAIL("no error");
    } catch (const KubeError& error) {
      CHECK(error.code() == ExitCode::forbidden);
      CHECK(error.kind() == FailureKind::refused);
      CHECK(
          std::string(error.what())
              .starts_with("kubectl get ConfigMap default/first: Error from server (Forbidden): "));
    }
    reader.server.inject({.method = "GET", .path_regex = "/configmaps", .status = 500});
    try {
      reader.client->list("configmaps", "default", "");
      FAIL("no error");
    } catch (const KubeError& error) {
      CHECK(error.code() == ExitCode::api_error);
      CHECK(error.kind() == FailureKind::unknown);
    }
  }

  TEST_CASE("a container's log: its tail, its head with times, the previous instance by query") {
    Reader reader;
    reader.server.put_object(
        Json{{"apiVersion", "v1"},
             {"kind", "Pod"},
             {"metadata", {{"name", "app-1"}, {"namespace", "default"}}},
             {"spec", {{"nodeName", "node-1"}, {"containers", Json::array({{{"name", "app"}}})}}}});
    REQUIRE(reader.server.wait_until([&] {
      const auto pod = reader.server.get("/api/v1/namespaces/default/pods/app-1");
      return pod && pod->contains("/status/containerStatuses/0/state/running"_json_pointer);
    }));
    reader.server.set_log("default", "app-1", "app", "one\ntwo\nthree\n");
    CHECK(reader.client->logs("default", "app-1", "app", 2, false) == "two\nthree\n");
    // Each line after the RFC 3339 time it was written.
    const std::string head = reader.client->log_head("default", "app-1", "app", 1000);
    CHECK(head.find("Z one\n") != std::string::npos);
    CHECK(head.find("Z three\n") != std::string::npos);
    try {
      reader.client->logs("default", "app-1", "app", 10, true);
    } catch (const KubeError&) {
      // No instance has terminated: the server says so (400), as it would to kubectl.
    }
    const auto requests = reader.server.requests();
    const auto previous = std::find_if(requests.begin(), requests.end(), [](const auto& request) {
      return request.query.find("previous=true") != std::string::npos;
    });
    REQUIRE(previous != requests.end());
    CHECK(previous->path == "/api/v1/namespaces/default/pods/app-1/log");
    CHECK(previous->query == "container=app&tailLines=10&previous=true");
  }

  TEST_CASE("kubectl reads what the proxy cannot: an unknown resource, no namespace, no proxy") {
    Reader reader;
    auto& client = *reader.client;
    reader.inner->put(configmap("first", "scheduler"));
    // Not served: kubectl's own words about it are the inner client's.
    CHECK_FALSE(client.get({"example.com/v1", "Widget", "default", "w"}));
    CHECK(reader.inner->calls(KubeCall::get) == 1);
    // Namespaced, without a namespace: kubectl's context namespace.
    CHECK(client.list("configmaps", "", "").size() == 1);
    CHECK(reader.inner->calls(KubeCall::list) == 1);

    Reader without_proxy("/nonexistent/kubectl");
    without_proxy.inner->put(configmap("first", "scheduler"));
    CHECK(without_proxy.client->get({"v1", "ConfigMap", "default", "first"}));
    CHECK(without_proxy.client->list("configmaps", "default", "").size() == 1);
    CHECK(without_proxy.inner->calls(KubeCall::get) == 1);
    CHECK(without_proxy.inner->calls(KubeCall::list) == 1);
  }
}

}  // namespace test_kube_proxy_reading_client
