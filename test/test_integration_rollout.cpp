// instrument and rollback against a cluster that behaves like a real one (issue 12): rollouts
// that take time and leave old pods behind, status writes that move the resourceVersion between
// the tool's read and its write, progress deadlines, reads that fail in passing. Each case is a
// way the tool went wrong against such a cluster.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/json.h"
#include "fixtures/fake_kube_api_server.h"
#include "instrument/owned.h"
#include "support/cli_runner.h"
#include "support/cluster_cli.h"
#include "support/kubectl_runner.h"
#include "support/text.h"

namespace test_integration_rollout {

using cxtm::Json;
using cxtm::instrument::instrumented_by_us;
using cxtm::testing::ClusterCli;
using cxtm::testing::contains;
using cxtm::testing::corpus_deployment;
using cxtm::testing::deployment_path;
using cxtm::testing::fast;
using cxtm::testing::has_installer;
using cxtm::testing::kErrorPrefix;
using cxtm::testing::Kubectl;
using cxtm::testing::lines_starting;
using cxtm::testing::PodBehaviour;

namespace {

constexpr const char* kInstaller = "otel-auto-instrumentation";

// Pods of the instrumented template only (they have the installer) behave so.
PodBehaviour once_instrumented(PodBehaviour behaviour) {
  behaviour.when_init_container = kInstaller;
  return behaviour;
}

// The app's pods as seeded (without the installer) behave so; instrumented ones are ready.
PodBehaviour before_instrumenting(PodBehaviour behaviour) {
  behaviour.unless_init_container = kInstaller;
  return behaviour;
}

// Seeds the minimal app as cxtm-scheduler with changes to its spec, and waits for it.
Json seed_scheduler(ClusterCli& cluster, const Json& spec_changes = Json::object()) {
  Json deployment = corpus_deployment("minimal");
  deployment["metadata"]["name"] = "cxtm-scheduler";
  deployment["spec"].merge_patch(spec_changes);
  cluster.server.put_object(deployment);
  cluster.server.await_rollout(deployment_path("cxtm-scheduler"));
  return cluster.deployment("cxtm-scheduler");
}

}  // namespace

TEST_SUITE("integration/rollout") {
  TEST_CASE("a new pod that fails is the rollout's verdict, though an old pod is still ready") {
    ClusterCli cluster;
    cluster.server.set_pod_behaviour(
        "cxtm-scheduler", once_instrumented(PodBehaviour::init_failure(
                              kInstaller, 1, "ERROR: No matching distribution found\n")));
    seed_scheduler(cluster);
    const auto result = cluster.run(fast({"instrument", "scheduler"}));
    INFO(result.out, result.err);
    CHECK(result.exit_code == 1);
    // The old pod stays Ready through the rollout (maxUnavailable 0), but it is not the new one:
    // while the new pod fails, no pod of the new template is ready.
    int failing_lines = 0;
    for (const auto& line : lines_starting(result.err, "Deployment/cxtm-scheduler: ")) {
      CAPTURE(line);
      if (!contains(line, "; CrashLoopBackOff")) continue;
      ++failing_lines;
      // (The Deployment's own count of updated pods comes from another watch than the pods: on
      // a loaded machine it may still say 0/1 when the new pod is already failing.)
      CHECK(line.starts_with("Deployment/cxtm-scheduler: 0/1 pods ready, "));
      CHECK(contains(line, " updated, 1 old ("));
    }
    CHECK(failing_lines > 0);
    CHECK(contains(result.err, "init container otel-auto-instrumentation: CrashLoopBackOff"));
    CHECK(contains(result.err, "rolled back to the original\n"));
    CHECK_FALSE(instrumented_by_us(cluster.deployment("cxtm-scheduler")));
  }

  TEST_CASE("after a failed rollout, the original's rollout is judged on its own new pods") {
    ClusterCli cluster;
    // Recreate: the crash-looping instrumented pods are still Terminating when the original's
    // pods start again.
    cluster.server.set_pod_behaviour(
        "cxtm-scheduler",
        once_instrumented(PodBehaviour::crash_loop("ModuleNotFoundError: opentelemetry", 1)));
    seed_scheduler(cluster, {{"strategy", {{"type", "Recreate"}, {"rollingUpdate", nullptr}}}});
    const auto result = cluster.run(fast({"instrument", "scheduler"}));
    INFO(result.out, result.err);
    CHECK(result.exit_code == 1);
    CHECK(contains(result.err, "rollout failed: "));
    CHECK(contains(result.err, "; rolled back to the original\n"));
    CHECK_FALSE(contains(result.err, "did not complete either"));
    CHECK(cluster.server.await_rollout(deployment_path("cxtm-scheduler")));
  }

  TEST_CASE("pods that crash-looped before instrumenting do not fail the healthy new rollout") {
    ClusterCli cluster;
    cluster.server.set_pod_behaviour(
        "cxtm-scheduler",
        before_instrumenting(PodBehaviour::crash_loop("KeyError: 'DATABASE_URL'", 1)));
    Json deployment = corpus_deployment("minimal");
    deployment["metadata"]["name"] = "cxtm-scheduler";
    cluster.server.put_object(deployment);
    // The app's own pod is deep in its crash loop before anything is changed.
    const Kubectl kubectl(cluster.server);
    REQUIRE(cluster.server.wait_until([&] {
      const Json pods =
          Json::parse(kubectl.ok({"get", "pods", "-l", "app=hello-py", "-o", "json"}));
      for (const Json& pod : pods["items"]) {
        const Json statuses = pod["status"].value("containerStatuses", Json::array());
        if (!statuses.empty() && statuses[0]["restartCount"].get<int>() >= 3) return true;
      }
      return false;
    }));
    const auto result = cluster.run(fast({"instrument", "scheduler"}));
    INFO(result.out, result.err);
    CHECK(result.exit_code == 0);
    CHECK(instrumented_by_us(cluster.deployment("cxtm-scheduler")));
  }

  TEST_CASE("a Deployment past its progress deadline ends the wait at once, with the reason") {
    ClusterCli cluster;
    // The new pods never get ready but do not crash either: only the deadline tells.
    cluster.server.set_pod_behaviour("cxtm-scheduler",
                                     once_instrumented(PodBehaviour::ready_after(1e9)));
    seed_scheduler(cluster, {{"progressDeadlineSeconds", 60}});
    const auto result = cluster.run({"instrument", "scheduler", "--no-validate", "--timeout",
                                     "100s", "--poll-interval", "50ms"});
    INFO(result.out, result.err);
    CHECK(result.exit_code == 1);
    CHECK(contains(result.err,
                   "rollout failed: ProgressDeadlineExceeded: ReplicaSet \"cxtm-scheduler-"));
    CHECK(contains(result.err, "has timed out progressing."));
    CHECK_FALSE(contains(result.err, "not ready after"));
    CHECK_FALSE(instrumented_by_us(cluster.deployment("cxtm-scheduler")));
  }

  TEST_CASE("a read that fails in passing during the wait does not undo a good change") {
    ClusterCli cluster;
    seed_scheduler(cluster);
    // Once the instrumented spec lands (write 2, after the backup), the wait's next read of the
    // Deployment (its watch resumed) fails once.
    cluster.inject_from_write(
        2, {.method = "GET", .path_regex = "/deployments(/cxtm-scheduler)?(\\?|$)", .status = 503});
    cluster.server.inject({.method = "GET", .path_regex = "/pods(\\?|$)", .status = 500});
    const auto result = cluster.run(fast({"instrument", "scheduler"}));
    INFO(result.out, result.err);
    CHECK(result.exit_code == 0);
    CHECK(lines_starting(result.err, kErrorPrefix).empty());
    // The wait met the failure.
    const auto requests = cluster.server.requests();
    CHECK(std::any_of(requests.begin(), requests.end(), [](const auto& request) {
      return request.faulted && request.status == 503;
    }));
    CHECK(instrumented_by_us(cluster.deployment("cxtm-scheduler")));
  }

  TEST_CASE("reads that keep failing end the wait, the change stays and the way on is named") {
    ClusterCli cluster;
    seed_scheduler(cluster);
    // Every read of the Deployment once the instrumented spec lands (write 2): the resumed
    // watch, the LISTs again, the GETs.
    cluster.inject_from_write(2, {.method = "GET",
                                  .path_regex = "/deployments(/cxtm-scheduler)?(\\?|$)",
                                  .status = 503,
                                  .times = -1});
    const auto result = cluster.run(
        {"instrument", "scheduler", "--no-validate", "--timeout", "3s", "--poll-interval", "50ms"});
    INFO(result.out, result.err);
    CHECK(result.exit_code == 8);
    const auto errors = lines_starting(result.err, kErrorPrefix);
    REQUIRE(errors.size() == 1);
    CHECK(contains(errors[0], "could not follow the rollout: "));
    CHECK(contains(errors[0], "(ServiceUnavailable)"));
    CHECK(contains(errors[0], "wait again: cxtm-o11y instrument scheduler"));
    CHECK(instrumented_by_us(cluster.deployment("cxtm-scheduler")));
  }

  TEST_CASE("right after the app was deployed, its rollout under way, instrument goes through") {
    ClusterCli cluster;
    Json deployment = corpus_deployment("minimal");
    deployment["metadata"]["name"] = "cxtm-scheduler";
    deployment["spec"]["replicas"] = 3;
    cluster.server.put_object(deployment);
    const auto result = cluster.run(fast({"instrument", "scheduler"}));
    INFO(result.out, result.err);
    CHECK(result.exit_code == 0);
    CHECK(instrumented_by_us(cluster.deployment("cxtm-scheduler")));
  }

  TEST_CASE("a status write between read and write is no conflict: computed again, written") {
    ClusterCli cluster;
    seed_scheduler(cluster);
    // Deterministic stand-in for the controllers' status writes that land between instrument's
    // read and its write on a busy cluster: the next write finds a new resourceVersion.
    cluster.server.change_before_next_write(
        deployment_path("cxtm-scheduler"),
        {{"metadata", {{"labels", {{"team", "scheduling"}}}}}, {"status", {{"replicas", 2}}}});
    const auto result = cluster.run(fast({"instrument", "scheduler"}));
    INFO(result.out, result.err);
    CHECK(result.exit_code == 0);
    const Json live = cluster.deployment("cxtm-scheduler");
    CHECK(instrumented_by_us(live));
    CHECK(live["metadata"]["labels"]["team"] == "scheduling");  // the other writer's, kept
  }

  TEST_CASE("a pod template edited between read and write is a conflict, never a lost update") {
    ClusterCli cluster;
    seed_scheduler(cluster);
    const Json edit = {
        {"spec",
         {{"template",
           {{"metadata", {{"annotations", {{"kubectl.kubernetes.io/restartedAt", "now"}}}}}}}}}};
    cluster.server.change_before_next_write(deployment_path("cxtm-scheduler"), edit);
    const auto result = cluster.run(fast({"instrument", "scheduler"}));
    INFO(result.out, result.err);
    CHECK(result.exit_code == 6);
    const auto errors = lines_starting(result.err, kErrorPrefix);
    REQUIRE(errors.size() == 1);
    CHECK(contains(errors[0], "scheduler (default/cxtm-scheduler): "));
    CHECK(contains(errors[0], "was changed by someone else since it was read"));
    const Json live = cluster.deployment("cxtm-scheduler");
    CHECK_FALSE(has_installer(live));
    CHECK(
        live["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"] ==
        "now");

    const auto again = cluster.run(fast({"instrument", "scheduler"}));
    INFO(again.out, again.err);
    CHECK(again.exit_code == 0);
  }

  TEST_CASE("a rerun while the instrumented rollout is under way waits for it to finish") {
    ClusterCli cluster;
    // The instrumented pods take 1000 simulated seconds (10 s here) to get ready: still under
    // way when the rerun starts, on a loaded machine too; within a progress deadline of an hour.
    cluster.server.set_pod_behaviour("cxtm-scheduler",
                                     once_instrumented(PodBehaviour::ready_after(1000)));
    seed_scheduler(cluster, {{"progressDeadlineSeconds", 3600}});
    const auto first = cluster.run({"instrument", "scheduler", "--no-validate", "--no-wait"});
    INFO(first.out, first.err);
    REQUIRE(first.exit_code == 0);
    const auto again = cluster.run({"instrument", "scheduler", "--no-validate", "--timeout", "60s",
                                    "--poll-interval", "20ms"});
    INFO(again.out, again.err);
    CHECK(again.exit_code == 0);
    CHECK(contains(again.out,
                   "already instrumented with this spec; its rollout was under way and "
                   "is complete now: 1/1 pods ready, 1/1 updated"));
  }
}

}  // namespace test_integration_rollout
