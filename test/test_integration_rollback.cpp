// `rollback` and the failure paths of `instrument` that end in one, end to end: the built binary
// drives the real kubectl against the Kubernetes API server double. After a rollback the pod
// template the server stores must equal the original exactly.

#include <doctest/doctest.h>

#include <filesystem>

#include "core/atomic_file.h"
#include "core/digest.h"
#include "core/json.h"
#include "instrument/owned.h"
#include "support/cli_runner.h"
#include "support/cluster_cli.h"

namespace test_integration_rollback {

using cxtm::Json;
using cxtm::read_file;
using cxtm::instrument::instrumented_by_us;
using cxtm::testing::app_env;
using cxtm::testing::carries_our_annotations;
using cxtm::testing::ClusterCli;
using cxtm::testing::deployment_path;
using cxtm::testing::fast;
using cxtm::testing::has_installer;
using cxtm::testing::lines_starting;
using cxtm::testing::PodBehaviour;
using cxtm::testing::same_essence;
using cxtm::testing::same_json;

namespace {

// What else the Deployment carries beside its template: labels and every annotation not ours.
Json metadata_not_ours(const Json& deployment) {
  Json metadata = {{"labels", deployment["metadata"].value("labels", Json::object())},
                   {"annotations", Json::object()}};
  const Json annotations = deployment["metadata"].value("annotations", Json::object());
  for (const auto& [key, value] : annotations.items()) {
    if (!key.starts_with("cxtm-o11y.io/") && key != "deployment.kubernetes.io/revision") {
      metadata["annotations"][key] = value;
    }
  }
  return metadata;
}

}  // namespace

TEST_SUITE("integration/rollback") {
  TEST_CASE("instrument then rollback restores the pod template exactly") {
    ClusterCli cluster;
    const Json scheduler = cluster.seed("probes-resources", "cxtm-scheduler");
    const Json notifications = cluster.seed("var-references", "cxtm-notifications");
    REQUIRE(cluster.run(fast({"instrument", "scheduler", "notifications"})).exit_code == 0);
    REQUIRE(has_installer(cluster.deployment("cxtm-scheduler")));

    const int writes_before = cluster.server.write_count();
    const auto result = cluster.run(fast({"rollback", "scheduler", "notifications"}));
    INFO(result.out, result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("scheduler (default/cxtm-scheduler): the tool's change taken out") !=
          std::string::npos);
    CHECK(result.out.find("notifications (default/cxtm-notifications): the tool's change taken "
                          "out") != std::string::npos);
    // What changed, as a diff of the pod template.
    CHECK(result.out.find("+++ rolled-back/default/cxtm-scheduler") != std::string::npos);
    CHECK(result.out.find("\n-  initContainers:\n") != std::string::npos);
    CHECK(cluster.server.write_count() == writes_before + 2);

    for (const auto& [name, seeded] :
         {std::pair{"cxtm-scheduler", scheduler}, std::pair{"cxtm-notifications", notifications}}) {
      const auto& name_ = name;  // CAPTURE cannot name a structured binding (clang 14)
      CAPTURE(name_);
      const Json live = cluster.deployment(name);
      CHECK(same_json(live["spec"]["template"], seeded["spec"]["template"]));
      CHECK(same_json(live["spec"], seeded["spec"]));
      CHECK_FALSE(carries_our_annotations(live));
      CHECK(same_json(metadata_not_ours(live), metadata_not_ours(seeded)));
    }

    const auto status = cluster.run({"status", "-o", "json"});
    REQUIRE(status.exit_code == 0);
    const Json document = Json::parse(status.out);  // kept alive: the loop reads inside it
    for (const Json& service : document["services"]) {
      CHECK(service["state"] == "not instrumented");
    }

    // A second rollback finds nothing to do and writes nothing.
    const int writes_after = cluster.server.write_count();
    const auto again = cluster.run(fast({"rollback", "scheduler"}));
    INFO(again.out, again.err);
    CHECK(again.exit_code == 0);
    CHECK(again.out.find("not instrumented by cxtm-o11y; nothing to roll back") !=
          std::string::npos);
    CHECK(cluster.server.write_count() == writes_after);
  }

  TEST_CASE("rollback of a Deployment never instrumented says so and writes nothing") {
    ClusterCli cluster;
    cluster.seed("minimal", "cxtm-scheduler");
    const auto result = cluster.run(fast({"rollback", "scheduler"}));
    INFO(result.out, result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out ==
          "scheduler (default/cxtm-scheduler): not instrumented by cxtm-o11y; nothing to roll "
          "back\n");
    CHECK(cluster.server.write_count() == 0);
  }

  TEST_CASE("rollback needs no backup, --exact prefers the local copy, --from takes a file") {
    ClusterCli cluster;
    const Json seeded = cluster.seed("env-from", "cxtm-scheduler");
    REQUIRE(cluster.run(fast({"instrument", "scheduler"})).exit_code == 0);

    SUBCASE("both stores gone: the tool's change still comes out") {
      std::filesystem::remove_all(cluster.state_dir());
      REQUIRE(cluster.server.erase(
          "/api/v1/namespaces/default/configmaps/cxtm-o11y-backup-cxtm-scheduler"));
      const auto result = cluster.run(fast({"rollback", "scheduler"}));
      INFO(result.out, result.err);
      CHECK(result.exit_code == 0);
      CHECK(result.out.find("the tool's change taken out") != std::string::npos);
    }
    SUBCASE("--exact: the local copy, though the cluster has one too") {
      const auto result = cluster.run(fast({"rollback", "scheduler", "--exact", "--yes"}));
      INFO(result.out, result.err);
      CHECK(result.exit_code == 0);
      CHECK(result.out.find("restored from " + cluster.local_original("cxtm-scheduler").string()) !=
            std::string::npos);
      CHECK(result.out.find("takes away nothing beyond the tool's change") != std::string::npos);
    }
    SUBCASE("--exact without a local copy: the cluster's, named unverified and shown in full") {
      std::filesystem::remove_all(cluster.state_dir());
      const auto result = cluster.run(fast({"rollback", "scheduler", "--exact", "--yes"}));
      INFO(result.out, result.err);
      CHECK(result.exit_code == 0);
      CHECK(result.out.find("restored from configmap/default/cxtm-o11y-backup-cxtm-scheduler") !=
            std::string::npos);
      CHECK(result.out.find("UNVERIFIED original") != std::string::npos);
      CHECK(result.out.find("warning: the original is the cluster's copy only") !=
            std::string::npos);
    }
    SUBCASE("--exact with the ConfigMap's copy damaged: a warning, the local copy used") {
      Json configmap = *cluster.backup_configmap("cxtm-scheduler");
      Json document = Json::parse(configmap["data"]["original.json"].get<std::string>());
      document["object"]["spec"]["replicas"] = 7;
      configmap["data"]["original.json"] = document.dump(2);
      cluster.server.put_object(configmap);
      const auto result = cluster.run(fast({"rollback", "scheduler", "--exact", "--yes"}));
      INFO(result.out, result.err);
      CHECK(result.exit_code == 0);
      CHECK(result.out.find("warning: cluster backup skipped") != std::string::npos);
      CHECK(result.out.find("sha256 does not match") != std::string::npos);
      CHECK(result.out.find("restored from " + cluster.local_original("cxtm-scheduler").string()) !=
            std::string::npos);
    }
    SUBCASE("--from a file, with both stores gone") {
      const auto saved = cluster.state_dir().parent_path() / "saved-original.json";
      std::filesystem::copy_file(cluster.local_original("cxtm-scheduler"), saved);
      std::filesystem::remove_all(cluster.state_dir());
      REQUIRE(cluster.server.erase(
          "/api/v1/namespaces/default/configmaps/cxtm-o11y-backup-cxtm-scheduler"));
      const auto without = cluster.run(fast({"rollback", "scheduler", "--exact", "--yes"}));
      CHECK(without.exit_code == 4);
      CHECK(without.err.find("no usable original backup") != std::string::npos);
      CHECK(instrumented_by_us(cluster.deployment("cxtm-scheduler")));
      const auto result =
          cluster.run(fast({"rollback", "scheduler", "--from", saved.string(), "--yes"}));
      INFO(result.out, result.err);
      CHECK(result.exit_code == 0);
      CHECK(result.out.find("restored from " + saved.string()) != std::string::npos);
    }
    const Json live = cluster.deployment("cxtm-scheduler");
    CHECK(same_json(live["spec"]["template"], seeded["spec"]["template"]));
    CHECK_FALSE(carries_our_annotations(live));
  }

  TEST_CASE("rollback --dry-run shows the change and writes nothing") {
    ClusterCli cluster;
    cluster.seed("minimal", "cxtm-scheduler");
    REQUIRE(cluster.run(fast({"instrument", "scheduler"})).exit_code == 0);
    const Json instrumented_state = cluster.deployment("cxtm-scheduler");
    const int writes = cluster.server.write_count();
    const auto result = cluster.run(fast({"rollback", "scheduler", "--dry-run"}));
    INFO(result.out, result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("\n-  initContainers:\n") != std::string::npos);
    CHECK(result.out.find("dry run: would take out the tool's change") != std::string::npos);
    CHECK(cluster.server.write_count() == writes);
    CHECK(same_essence(cluster.deployment("cxtm-scheduler"), instrumented_state));
  }

  TEST_CASE("rollback that cannot write names the service and cause, and changes nothing") {
    for (const auto& [status, code] : {std::pair{403, 5}, std::pair{404, 4}, std::pair{500, 8}}) {
      const auto& status_ = status;  // CAPTURE cannot name a structured binding (clang 14)
      CAPTURE(status_);
      ClusterCli cluster;
      cluster.seed("minimal", "cxtm-scheduler");
      REQUIRE(cluster.run(fast({"instrument", "scheduler"})).exit_code == 0);
      const Json instrumented_state = cluster.deployment("cxtm-scheduler");
      // A 500 leaves the write's outcome unknown: read again, written again, so it has to last.
      cluster.server.inject({.method = "PUT",
                             .path_regex = deployment_path("cxtm-scheduler"),
                             .status = status,
                             .message = "injected failure",
                             .times = status == 500 ? -1 : 1});
      const size_t first_request = cluster.server.requests().size();
      const auto result = cluster.run(fast({"rollback", "scheduler"}));
      INFO(result.out, result.err);
      const std::string writes = cluster.writes_seen(first_request);
      INFO("the writes the API server saw:", writes);
      CHECK(result.exit_code == code);
      const auto errors = lines_starting(result.err, "cxtm-o11y: error: ");
      REQUIRE(errors.size() == 1);
      CHECK(errors[0].starts_with("cxtm-o11y: error: scheduler (default/cxtm-scheduler): "));
      CHECK(errors[0].find("injected failure") != std::string::npos);
      CHECK(same_essence(cluster.deployment("cxtm-scheduler"), instrumented_state));
    }
  }

  TEST_CASE("an app library the set cannot use: the installer's line, then the original") {
    ClusterCli cluster;
    const Json seeded = cluster.seed("minimal", "cxtm-scheduler");
    // What templates/instrumentation/installer.py prints for an app pinned to protobuf 4
    // (test_instrument_python_installer.cpp runs it for real and checks this line).
    const std::string conflict =
        "cxtm-o11y installer: protobuf: the app has 4.25.3, opentelemetry-proto needs "
        "protobuf >= 5.0, < 7.0 (the app's versions win: change them, or exclude the "
        "instrumentation that needs another)\n";
    cluster.server.set_pod_behaviour(
        "cxtm-scheduler", PodBehaviour::init_failure("otel-auto-instrumentation", 2, conflict));
    const auto result = cluster.run(fast({"instrument", "scheduler"}));
    INFO(result.out, result.err);
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("protobuf: the app has 4.25.3, opentelemetry-proto needs protobuf >= "
                          "5.0, < 7.0") != std::string::npos);
    CHECK(result.err.find("rolled back to the original") != std::string::npos);
    CHECK(same_json(cluster.deployment("cxtm-scheduler")["spec"]["template"],
                    seeded["spec"]["template"]));
  }

  TEST_CASE("a failing init container: reason and log tail, then the original is back") {
    ClusterCli cluster;
    const Json seeded = cluster.seed("minimal", "cxtm-scheduler");
    const std::string pip_error =
        "Collecting opentelemetry-sdk==1.41.0\n"
        "ERROR: Could not find a version that satisfies the requirement "
        "opentelemetry-sdk==1.41.0\n";
    cluster.server.set_pod_behaviour(
        "cxtm-scheduler", PodBehaviour::init_failure("otel-auto-instrumentation", 1, pip_error));

    SUBCASE("rolled back automatically") {
      const auto result = cluster.run(fast({"instrument", "scheduler"}));
      INFO(result.out, result.err);
      CHECK(result.exit_code == 1);
      const auto errors = lines_starting(result.err, "cxtm-o11y: error: ");
      REQUIRE(errors.size() == 1);
      CHECK(
          errors[0].starts_with("cxtm-o11y: error: scheduler (default/cxtm-scheduler): "
                                "rollout failed: "));
      CHECK(result.err.find("init container otel-auto-instrumentation: CrashLoopBackOff") !=
            std::string::npos);
      CHECK(result.err.find("rolled back to the original") != std::string::npos);
      CHECK(result.err.find("Could not find a version that satisfies the requirement") !=
            std::string::npos);
      const Json live = cluster.deployment("cxtm-scheduler");
      CHECK(same_json(live["spec"]["template"], seeded["spec"]["template"]));
      CHECK_FALSE(carries_our_annotations(live));
      // The backups stay: they are still the original.
      CHECK(std::filesystem::exists(cluster.local_original("cxtm-scheduler")));
    }
    SUBCASE("--no-rollback-on-failure leaves it instrumented") {
      const auto result =
          cluster.run(fast({"instrument", "scheduler", "--no-rollback-on-failure"}));
      INFO(result.out, result.err);
      CHECK(result.exit_code == 1);
      CHECK(result.err.find("left instrumented (--no-rollback-on-failure") != std::string::npos);
      CHECK(result.err.find("Could not find a version") != std::string::npos);
      const Json live = cluster.deployment("cxtm-scheduler");
      CHECK(instrumented_by_us(live));
      CHECK(has_installer(live));
      // And the rollback the message points to works.
      cluster.server.set_pod_behaviour("cxtm-scheduler", PodBehaviour::ready());
      const auto rollback = cluster.run(fast({"rollback", "scheduler"}));
      INFO(rollback.out, rollback.err);
      CHECK(rollback.exit_code == 0);
      CHECK(same_json(cluster.deployment("cxtm-scheduler")["spec"]["template"],
                      seeded["spec"]["template"]));
    }
  }

  TEST_CASE("an app that crash-loops once instrumented: reason and log, then the original") {
    ClusterCli cluster;
    const Json seeded = cluster.seed("minimal", "cxtm-scheduler");
    PodBehaviour crash =
        PodBehaviour::crash_loop("ModuleNotFoundError: No module named 'opentelemetry'", 1,
                                 "Traceback (most recent call last):\n"
                                 "  File \"/otel-auto-instrumentation/sitecustomize.py\", line 1\n"
                                 "ModuleNotFoundError: No module named 'opentelemetry'\n");
    crash.when_init_container = "otel-auto-instrumentation";
    cluster.server.set_pod_behaviour("cxtm-scheduler", crash);

    const auto result = cluster.run(fast({"instrument", "scheduler"}));
    INFO(result.out, result.err);
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("CrashLoopBackOff, ") != std::string::npos);
    CHECK(result.err.find(" restarts, last exit code 1") != std::string::npos);
    CHECK(result.err.find("--- log of ") != std::string::npos);
    CHECK(result.err.find("sitecustomize.py") != std::string::npos);
    CHECK(result.err.find("rolled back to the original") != std::string::npos);
    CHECK(result.err.find("did not complete") == std::string::npos);
    CHECK(same_json(cluster.deployment("cxtm-scheduler")["spec"]["template"],
                    seeded["spec"]["template"]));
  }

  TEST_CASE("the POC's half-done Deployments are completed, and rollback restores them") {
    ClusterCli cluster;
    const Json notifications = cluster.seed("cxtm-notifications-poc");
    const Json scheduler = cluster.seed("cxtm-scheduler-poc");

    // The scheduler's POC setup points at the gRPC port: a real conflict, refused without
    // --force before anything is written.
    const auto refused = cluster.run(fast({"instrument", "scheduler", "notifications"}));
    INFO(refused.out, refused.err);
    CHECK(refused.exit_code == 6);
    CHECK(refused.err.find("scheduler (default/cxtm-scheduler)") != std::string::npos);
    CHECK(refused.err.find("OTEL_EXPORTER_OTLP_ENDPOINT") != std::string::npos);
    CHECK(refused.out.find("notifications (default/cxtm-notifications): instrumented (completed "
                           "the POC's partial setup)") != std::string::npos);
    // What the change handles for the app's runtime is said as notes, not warnings.
    CHECK(refused.out.find("  note: Deployment default/cxtm-notifications, container "
                           "notifications: gunicorn with 2 workers: each worker's metrics carry "
                           "its own process.pid") != std::string::npos);
    CHECK(refused.out.find("  note: Deployment default/cxtm-notifications, container "
                           "notifications: the probes' requests are not traced "
                           "(OTEL_PYTHON_EXCLUDED_URLS=/livez(\\?|$),/readyz(\\?|$))") !=
          std::string::npos);
    CHECK(refused.out.find("  warning:") == std::string::npos);
    CHECK(same_essence(cluster.deployment("cxtm-scheduler"), scheduler));

    const auto forced = cluster.run(fast({"instrument", "scheduler", "--force"}));
    INFO(forced.out, forced.err);
    CHECK(forced.exit_code == 0);
    CHECK(forced.out.find("completed the POC's partial setup") != std::string::npos);

    for (const auto& [name, seeded] :
         {std::pair{"cxtm-scheduler", scheduler}, std::pair{"cxtm-notifications", notifications}}) {
      const auto& name_ = name;  // CAPTURE cannot name a structured binding (clang 14)
      CAPTURE(name_);
      const Json live = cluster.deployment(name);
      CHECK(has_installer(live));
      CHECK(app_env(live, "PYTHONPATH").starts_with("/otel-auto-instrumentation/cxtm-o11y:"));
      CHECK(app_env(live, "OTEL_EXPORTER_OTLP_ENDPOINT") ==
            "http://otel-collector.default.svc:4318");
      // The original backed up is the POC's state, not a cleaned-up one.
      const Json backup = Json::parse(read_file(cluster.local_original(name)));
      CHECK(same_json(backup["object"]["spec"]["template"], seeded["spec"]["template"]));
    }

    const auto rollback = cluster.run(fast({"rollback", "--all"}));
    INFO(rollback.out, rollback.err);
    CHECK(rollback.exit_code == 0);
    for (const auto& [name, seeded] :
         {std::pair{"cxtm-scheduler", scheduler}, std::pair{"cxtm-notifications", notifications}}) {
      const auto& name_ = name;  // CAPTURE cannot name a structured binding (clang 14)
      CAPTURE(name_);
      const Json live = cluster.deployment(name);
      CHECK(same_json(live["spec"]["template"], seeded["spec"]["template"]));
      CHECK(app_env(live, "PYTHONPATH") == app_env(seeded, "PYTHONPATH"));
      CHECK_FALSE(carries_our_annotations(live));
    }
  }
}

}  // namespace test_integration_rollback
