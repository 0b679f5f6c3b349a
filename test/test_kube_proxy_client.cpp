// Reads through the run's `kubectl proxy` (kube/proxy_client.h): the real kubectl proxy
// in front of the API server double. Objects and lists read as `kubectl get -o json` prints
// them, paths found by discovery, logs, access reviews, and kubectl (the inner client) for what
// the proxy cannot carry.
#include <doctest/doctest.h>
#include <fmt/core.h>

#include <algorithm>
#include <filesystem>

#include "fixtures/fake_kube_api_server.h"
#include "kube/api_discovery.h"
#include "kube/proxy_client.h"
#include "support/kubectl_runner.h"
#include "support/temp_dir.h"

namespace test_kube_proxy_client {

using cxtm::ExitCode;
using cxtm::Json;
using namespace cxtm::kube;

namespace {

Json configmap(const std::string& name, const std::string& app) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}, {"namespace", "default"}, {"labels", {{"app", app}}}}},
          {"data", {{"k", "v"}}}};
}

// A ProxyClient over the double, its kubectl the real one behind a script that counts the runs
// other than the proxy (what falls back to kubectl) and, when asked, cannot start a proxy.
struct Client {
  cxtm::testing::FakeKubeApiServer server;
  cxtm::testing::TempDir dir;
  std::unique_ptr<ProxyClient> client;
  std::vector<std::string> shown;  // -v's lines

  explicit Client(bool proxy_starts = true) {
    const std::string refusal =
        "case \" $* \" in *\" proxy \"*) echo 'error: no proxy here' >&2; exit 1;; esac\n";
    const auto kubectl = dir.write(
        "kubectl",
        fmt::format("#!/bin/sh\ncase \" $* \" in *\" proxy \"*) ;; *) echo run >> '{}';; esac\n"
                    "{}exec '{}' \"$@\"\n",
                    (dir.path() / "runs").string(), proxy_starts ? "" : refusal,
                    cxtm::testing::test_kubectl()),
        true);
    KubectlOptions options{.kubectl = kubectl.string(),
                           .kubeconfig = server.write_kubeconfig(dir.path()).string(),
                           .request_timeout = "20s"};
    options.on_command = [this](const std::vector<std::string>& argv) {
      std::string line;
      for (const auto& word : argv) line += (line.empty() ? "" : " ") + word;
      shown.push_back(line);
    };
    client = std::make_unique<ProxyClient>(std::make_unique<KubectlClient>(options),
                                           std::make_shared<SharedProxy>(options), options);
  }
  // kubectl runs so far, the proxy's not counted.
  size_t kubectl_runs() const {
    if (!std::filesystem::exists(dir.path() / "runs")) return 0;
    const std::string runs = dir.read("runs");
    return static_cast<size_t>(std::count(runs.begin(), runs.end(), '\n'));
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

TEST_SUITE("kube/proxy_client") {
  TEST_CASE("objects and lists read as kubectl prints them, through one proxy, no kubectl run") {
    Client reader;
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
    CHECK(reader.kubectl_runs() == 0);
  }

  TEST_CASE("the server's refusals read as kubectl's own reports of them") {
    Client reader;
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
    Client reader;
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
    CHECK(previous->query == "container=app&previous=true&tailLines=10");
  }

  TEST_CASE("kubectl runs what the proxy cannot: an unknown resource, no namespace, no proxy") {
    Client with_proxy;
    auto& client = *with_proxy.client;
    with_proxy.server.put_object(configmap("first", "scheduler"));
    // Not served: kubectl's own words about it.
    CHECK_THROWS_WITH(client.get({"example.com/v1", "Widget", "default", "w"}),
                      doctest::Contains("the server doesn't have a resource type"));
    CHECK(with_proxy.kubectl_runs() == 1);
    // Namespaced, without a namespace: kubectl's context namespace.
    CHECK(client.list("configmaps", "", "").size() == 1);
    CHECK(with_proxy.kubectl_runs() == 2);

    Client without_proxy(false);
    without_proxy.server.put_object(configmap("first", "scheduler"));
    CHECK(without_proxy.client->get({"v1", "ConfigMap", "default", "first"}));
    CHECK(without_proxy.client->list("configmaps", "default", "").size() == 1);
    const Json written = without_proxy.client->apply(configmap("second", "notifications"),
                                                     DryRun::none, kFieldManager);
    CHECK(written["metadata"]["name"] == "second");
    CHECK(without_proxy.kubectl_runs() == 3);
  }

  TEST_CASE(
      "writes as kubectl sends them: apply a PATCH, replace a PUT, delete in the background") {
    Client writer;
    auto& client = *writer.client;
    const Json applied = client.apply(configmap("first", "scheduler"), DryRun::none, kFieldManager);
    CHECK(applied["data"]["k"] == "v");
    CHECK(applied["metadata"].contains("resourceVersion"));
    Json changed = applied;
    changed["data"]["k"] = "w";
    CHECK(client.replace(changed)["data"]["k"] == "w");
    // The first resourceVersion is stale now: the precondition fails as kubectl's would.
    try {
      client.replace(applied);
      FAIL("no conflict");
    } catch (const KubeError& error) {
      CHECK(error.code() == ExitCode::conflict);
    }
    Json dry = configmap("first", "scheduler");
    dry["data"]["k"] = "dry";
    CHECK(client.apply(dry, DryRun::server, kFieldManager)["data"]["k"] == "dry");
    const auto outcomes = client.replace_all({changed, applied});
    REQUIRE(outcomes.size() == 2);
    CHECK(outcomes[1].failure.has_value());
    CHECK(client.remove({"v1", "ConfigMap", "default", "first"}));
    CHECK_FALSE(client.remove({"v1", "ConfigMap", "default", "first"}));

    std::vector<std::string> writes;
    for (const auto& request : writer.server.requests()) {
      if (request.method == "GET") continue;
      writes.push_back(request.method + " " + request.query);
    }
    CHECK(writes == std::vector<std::string>{
                        "PATCH fieldManager=cxtm-o11y&fieldValidation=Strict&force=true",
                        "PUT fieldManager=cxtm-o11y&fieldValidation=Strict",
                        "PUT fieldManager=cxtm-o11y&fieldValidation=Strict",
                        "PATCH dryRun=All&fieldManager=cxtm-o11y&fieldValidation=Strict&force=true",
                        "PUT fieldManager=cxtm-o11y&fieldValidation=Strict",
                        "PUT fieldManager=cxtm-o11y&fieldValidation=Strict", "DELETE ", "DELETE "});
    CHECK(writer.kubectl_runs() == 0);
    CHECK(writer.server.get("/api/v1/namespaces/default/configmaps/first") == std::nullopt);
  }
}

}  // namespace test_kube_proxy_client
