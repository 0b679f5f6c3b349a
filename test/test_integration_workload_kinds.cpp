// StatefulSets and DaemonSets as services (`services.<name>.kind`): instrumented and rolled back
// through the binary against the API server double's StatefulSet and DaemonSet controllers, and
// a StatefulSet whose instrumented pod never becomes Ready, which Kubernetes documents does not
// heal by putting the template back alone.

#include <doctest/doctest.h>
#include <fmt/core.h>

#include <algorithm>

#include "core/json.h"
#include "instrument/owned.h"
#include "support/cli_runner.h"
#include "support/cluster_cli.h"

namespace test_integration_workload_kinds {

using cxtm::Json;
using cxtm::instrument::instrumented_by_us;
using cxtm::testing::app_env;
using cxtm::testing::ClusterCli;
using cxtm::testing::corpus_deployment;
using cxtm::testing::fast;
using cxtm::testing::has_installer;
using cxtm::testing::kErrorPrefix;
using cxtm::testing::lines_starting;

namespace {

const std::string kStatefulPath = "/apis/apps/v1/namespaces/default/statefulsets/cxtm-ledger";
const std::string kDaemonPath = "/apis/apps/v1/namespaces/default/daemonsets/cxtm-agent";

// The corpus's minimal Deployment as another workload kind, seeded and rolled out.
Json seed_as(ClusterCli& cluster, const std::string& kind, const std::string& name,
             const std::string& path, int replicas, const Json& update_strategy = nullptr) {
  Json workload = corpus_deployment("minimal");
  workload["kind"] = kind;
  workload["metadata"]["name"] = name;
  workload.erase("status");
  Json& spec = workload["spec"];
  spec.erase("strategy");
  spec.erase("progressDeadlineSeconds");
  if (kind == "StatefulSet") {
    spec["serviceName"] = name;
    spec["replicas"] = replicas;
  } else {
    spec.erase("replicas");
  }
  if (!update_strategy.is_null()) spec["updateStrategy"] = update_strategy;
  cluster.server.put_object(workload);
  REQUIRE(cluster.server.await_rollout(path));
  return *cluster.server.get(path);
}

Json stored(const ClusterCli& cluster, const std::string& path) {
  const auto object = cluster.server.get(path);
  REQUIRE(object.has_value());
  return *object;
}

const std::string kServices =
    "  ledger:\n"
    "    deployment: cxtm-ledger\n"
    "    kind: StatefulSet\n"
    "  agent:\n"
    "    deployment: cxtm-agent\n"
    "    kind: DaemonSet\n";

}  // namespace

TEST_SUITE("integration/workload_kinds") {
  TEST_CASE("a StatefulSet and a DaemonSet: instrumented, rolled out pod by pod, rolled back") {
    ClusterCli cluster(kServices);
    const Json ledger = seed_as(cluster, "StatefulSet", "cxtm-ledger", kStatefulPath, 3);
    const Json agent = seed_as(cluster, "DaemonSet", "cxtm-agent", kDaemonPath, 1);

    const auto result = cluster.run(fast({"instrument", "ledger", "agent"}));
    INFO(result.out, result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.out.find("ledger (default/cxtm-ledger): instrumented; 3/3 pods ready") !=
          std::string::npos);
    CHECK(result.out.find("agent (default/cxtm-agent): instrumented") != std::string::npos);
    const Json instrumented_ledger = stored(cluster, kStatefulPath);
    CHECK(instrumented_by_us(instrumented_ledger));
    CHECK(has_installer(instrumented_ledger));
    CHECK(app_env(instrumented_ledger, "OTEL_SERVICE_NAME") == "cxtm-ledger");
    // Every pod replaced by one of the new revision, as the controller does it.
    const Json& status = instrumented_ledger["status"];
    CHECK(status["currentRevision"] == status["updateRevision"]);
    CHECK(status["updatedReplicas"] == 3);
    CHECK(instrumented_by_us(stored(cluster, kDaemonPath)));
    CHECK(cluster.server.get("/api/v1/namespaces/default/configmaps/cxtm-o11y-backup-cxtm-ledger")
              .has_value());

    const auto status_report = cluster.run({"status", "ledger", "agent", "-o", "json"});
    const Json statuses = Json::parse(status_report.out);
    CHECK(statuses["services"][0]["state"] == "instrumented");
    CHECK(statuses["services"][0]["ready"] == 3);
    CHECK(statuses["services"][1]["state"] == "instrumented");

    const auto rollback = cluster.run(fast({"rollback", "ledger", "agent"}));
    INFO(rollback.out, rollback.err);
    CHECK(rollback.exit_code == 0);
    CHECK(cxtm::same_json(stored(cluster, kStatefulPath)["spec"]["template"],
                          ledger["spec"]["template"]));
    CHECK(cxtm::same_json(stored(cluster, kDaemonPath)["spec"]["template"],
                          agent["spec"]["template"]));
  }

  TEST_CASE(
      "a DaemonSet with maxSurge: its new pods start beside the old ones, and the rollout is "
      "over once each node runs the new template alone") {
    ClusterCli cluster(kServices);
    const Json surge = {{"type", "RollingUpdate"},
                        {"rollingUpdate", {{"maxSurge", 1}, {"maxUnavailable", 0}}}};
    const Json agent = seed_as(cluster, "DaemonSet", "cxtm-agent", kDaemonPath, 1, surge);
    const size_t nodes = agent["status"]["desiredNumberScheduled"].get<size_t>();
    REQUIRE(nodes >= 2);

    const auto result = cluster.run(fast({"instrument", "agent"}));
    INFO(result.out, result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.out.find(fmt::format("agent (default/cxtm-agent): instrumented; {0}/{0} pods "
                                      "ready, {0}/{0} updated",
                                      nodes)) != std::string::npos);
    // When the tool says so, no pod of the old template is left, not even Terminating.
    size_t instrumented_pods = 0;
    for (const Json& pod : cluster.server.list("/api/v1/namespaces/default/pods")) {
      if (!pod["metadata"]["name"].get<std::string>().starts_with("cxtm-agent-")) continue;
      const Json& init = pod["spec"].value("initContainers", Json::array());
      CHECK(std::any_of(init.begin(), init.end(), [](const Json& container) {
        return container.value("name", "") == "otel-auto-instrumentation";
      }));
      ++instrumented_pods;
    }
    CHECK(instrumented_pods == nodes);

    const auto rollback = cluster.run(fast({"rollback", "agent"}));
    INFO(rollback.out, rollback.err);
    CHECK(rollback.exit_code == 0);
    CHECK(cxtm::same_json(stored(cluster, kDaemonPath)["spec"]["template"],
                          agent["spec"]["template"]));
  }

  TEST_CASE(
      "a StatefulSet whose instrumented pod never gets Ready: the template goes back and "
      "the stuck pod is deleted, so the rollback completes") {
    ClusterCli cluster(kServices);
    const Json ledger = seed_as(cluster, "StatefulSet", "cxtm-ledger", kStatefulPath, 2);
    auto crash = cxtm::testing::PodBehaviour::crash_loop("ModuleNotFoundError", 1);
    crash.when_init_container = "otel-auto-instrumentation";
    cluster.server.set_pod_behaviour("cxtm-ledger", crash);

    const auto result = cluster.run(
        {"instrument", "ledger", "--no-validate", "--timeout", "3s", "--poll-interval", "50ms"});
    INFO(result.out, result.err);
    CHECK((result.exit_code == 1 || result.exit_code == 7));  // failed, or not ready in time
    const auto errors = lines_starting(result.err, kErrorPrefix);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("rolled back to the original (deleted the halted cxtm-ledger-1)") !=
          std::string::npos);
    CHECK(errors[0].find("whose rollout did not complete either") == std::string::npos);
    // Back to the original, every pod of its revision and ready.
    REQUIRE(cluster.server.await_rollout(kStatefulPath));
    const Json back = stored(cluster, kStatefulPath);
    CHECK_FALSE(instrumented_by_us(back));
    CHECK(back["status"]["currentRevision"] == back["status"]["updateRevision"]);
    CHECK(back["status"]["readyReplicas"] == 2);
  }

  TEST_CASE("an unknown kind is a config error naming the field") {
    ClusterCli cluster("  batch:\n    kind: CronJob\n");
    const auto result = cluster.run({"status"});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("services.batch.kind: 'CronJob' is not a workload") != std::string::npos);
  }
}

}  // namespace test_integration_workload_kinds
