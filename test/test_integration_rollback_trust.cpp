// Rollback that keeps the app team's releases, a failed upgrade that goes back to the previous
// instrumentation, and backups no one else can turn against the operator: the built binary,
// the real kubectl and the Kubernetes API server double.

#include <doctest/doctest.h>

#include <filesystem>

#include "core/atomic_file.h"
#include "core/digest.h"
#include "core/json.h"
#include "instrument/owned.h"
#include "support/cli_runner.h"
#include "support/cluster_cli.h"
#include "support/kubectl_runner.h"

namespace test_integration_rollback_trust {

using cxtm::Json;
using cxtm::read_file;
using cxtm::instrument::instrumented_by_us;
using cxtm::testing::carries_our_annotations;
using cxtm::testing::ClusterCli;
using cxtm::testing::fast;
using cxtm::testing::Kubectl;
using cxtm::testing::PodBehaviour;
using cxtm::testing::same_essence;
using cxtm::testing::same_json;

namespace {

constexpr std::string_view kNewImage = "python:3.13-slim";

// The app team's release: a new image and a new variable, through kubectl as they would.
void release(const ClusterCli& cluster) {
  const Kubectl kubectl(cluster.server);
  kubectl.ok({"set", "image", "deployment/cxtm-scheduler", "hello-py=" + std::string(kNewImage),
              "-n", "default"});
  kubectl.ok({"set", "env", "deployment/cxtm-scheduler", "-c", "hello-py", "FEATURE_FLAG=on", "-n",
              "default"});
}

// seeded with that release.
Json released(Json seeded) {
  Json& app = seeded["spec"]["template"]["spec"]["containers"][0];
  app["image"] = kNewImage;
  app["env"] = Json::array({{{"name", "FEATURE_FLAG"}, {"value", "on"}}});
  return seeded;
}

// The cluster's copy of the original rewritten by someone who may write ConfigMaps: a hostile
// pod template, with a sha256 that matches it.
void forge_cluster_original(ClusterCli& cluster) {
  Json configmap = *cluster.backup_configmap("cxtm-scheduler");
  Json document = Json::parse(configmap["data"]["original.json"].get<std::string>());
  Json& pod = document["object"]["spec"]["template"]["spec"];
  pod["serviceAccountName"] = "cluster-admin-bot";
  pod["hostPID"] = true;
  pod["volumes"] = Json::array({{{"name", "host"}, {"hostPath", {{"path", "/"}}}}});
  Json& app = pod["containers"][0];
  app["securityContext"] = {{"privileged", true}};
  app["volumeMounts"] = Json::array({{{"mountPath", "/host"}, {"name", "host"}}});
  document["sha256"] = cxtm::sha256_hex(document["object"].dump());
  configmap["data"]["original.json"] = document.dump(2);
  cluster.server.put_object(configmap);
}

bool hostile(const Json& deployment) {
  const std::string text = deployment["spec"]["template"].dump();
  return text.find("hostPID") != std::string::npos ||
         text.find("privileged") != std::string::npos ||
         text.find("cluster-admin-bot") != std::string::npos ||
         text.find("hostPath") != std::string::npos;
}

}  // namespace

TEST_SUITE("integration/rollback-trust") {
  TEST_CASE("a release after instrumenting survives rollback, --exact shows it and asks") {
    ClusterCli cluster;
    const Json seeded = cluster.seed("minimal", "cxtm-scheduler");
    REQUIRE(cluster.run(fast({"instrument", "scheduler"})).exit_code == 0);
    release(cluster);

    const auto status = cluster.run({"status", "scheduler", "-o", "json"});
    REQUIRE(status.exit_code == 0);
    const std::string drift = Json::parse(status.out)["services"][0]["drift"].dump();
    CHECK(drift.find("image changed since instrumenting: python:3.12-slim -> python:3.13-slim") !=
          std::string::npos);

    // --exact off a terminal without --yes: refused before anything is read or written.
    const int writes = cluster.server.write_count();
    const auto refused = cluster.run(fast({"rollback", "scheduler", "--exact"}));
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("--exact writes the stored original over every change made since") !=
          std::string::npos);
    CHECK(cluster.server.write_count() == writes);

    // Its dry run names what it would take away that the tool did not add.
    const auto preview = cluster.run(fast({"rollback", "scheduler", "--exact", "--dry-run"}));
    INFO(preview.out, preview.err);
    CHECK(preview.exit_code == 0);
    CHECK(preview.out.find("what the original takes away beyond the tool's change:") !=
          std::string::npos);
    CHECK(preview.out.find("\n-      image: python:3.13-slim\n") != std::string::npos);
    CHECK(preview.out.find("\n+    - image: python:3.12-slim\n") != std::string::npos);
    CHECK(cluster.server.write_count() == writes);

    // The default takes out the tool's change alone: original + the release.
    const auto rollback = cluster.run(fast({"rollback", "scheduler"}));
    INFO(rollback.out, rollback.err);
    CHECK(rollback.exit_code == 0);
    CHECK(rollback.out.find("the tool's change taken out") != std::string::npos);
    const Json live = cluster.deployment("cxtm-scheduler");
    CHECK(same_json(live["spec"]["template"], released(seeded)["spec"]["template"]));
    CHECK_FALSE(carries_our_annotations(live));
  }

  TEST_CASE("an upgrade whose rollout fails puts back the previous instrumentation") {
    ClusterCli cluster;
    cluster.seed("minimal", "cxtm-scheduler");
    REQUIRE(cluster.run(fast({"instrument", "scheduler"})).exit_code == 0);
    const Json before = cluster.deployment("cxtm-scheduler");

    // The new spec: packages from a wheelhouse image, whose copying init container fails.
    std::string config = read_file(cluster.config());
    config +=
        "instrumentation:\n  source: wheelhouse\n  wheelhouse:\n"
        "    image: registry.example.com/otel-wheels:py3.12\n";
    cxtm::write_file_atomic(cluster.config(), config);
    PodBehaviour broken = PodBehaviour::init_failure("otel-wheelhouse", 1, "cp: cannot stat");
    broken.when_init_container = "otel-wheelhouse";
    cluster.server.set_pod_behaviour("cxtm-scheduler", broken);

    const auto upgrade = cluster.run(fast({"instrument", "scheduler"}));
    INFO(upgrade.out, upgrade.err);
    CHECK(upgrade.exit_code == 1);
    CHECK(upgrade.err.find("rollout failed") != std::string::npos);
    CHECK(upgrade.err.find("rolled back to the previous instrumentation") != std::string::npos);
    const Json live = cluster.deployment("cxtm-scheduler");
    CHECK(instrumented_by_us(live));
    CHECK(same_json(live["spec"]["template"], before["spec"]["template"]));
    CHECK(live["metadata"]["annotations"]["cxtm-o11y.io/spec-hash"] ==
          before["metadata"]["annotations"]["cxtm-o11y.io/spec-hash"]);
  }

  TEST_CASE(
      "a forged cluster backup: default rollback writes nothing of it, --exact refuses or "
      "shows it, instrument never copies it") {
    ClusterCli cluster;
    const Json seeded = cluster.seed("minimal", "cxtm-scheduler");
    REQUIRE(cluster.run(fast({"instrument", "scheduler"})).exit_code == 0);
    forge_cluster_original(cluster);
    const int writes = cluster.server.write_count();

    // With the local copy: the two differ, --exact refuses and shows the difference.
    const auto refused = cluster.run(fast({"rollback", "scheduler", "--exact", "--yes"}));
    INFO(refused.out, refused.err);
    CHECK(refused.exit_code == 6);
    CHECK(refused.err.find("copies of the original of Deployment default/cxtm-scheduler differ") !=
          std::string::npos);
    CHECK(refused.out.find("+      hostPID: true") == std::string::npos);  // not a template line
    CHECK(refused.out.find("hostPID: true") != std::string::npos);
    CHECK(cluster.server.write_count() == writes);

    // Without it: an upgrade does not copy the forged copy into the local store...
    std::filesystem::remove_all(cluster.state_dir());
    std::string config = read_file(cluster.config());
    config.replace(config.find("environment: cxtm-poc"), 21, "environment: cxtm-prod");
    cxtm::write_file_atomic(cluster.config(), config);
    const auto upgrade = cluster.run(fast({"instrument", "scheduler"}));
    INFO(upgrade.out, upgrade.err);
    CHECK(upgrade.exit_code == 0);
    CHECK(upgrade.out.find("was not copied to the local store") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(cluster.local_original("cxtm-scheduler")));

    // ...--exact shows it in full as unverified before anything is written...
    const int before_preview = cluster.server.write_count();
    const auto preview = cluster.run(fast({"rollback", "scheduler", "--exact", "--dry-run"}));
    INFO(preview.out, preview.err);
    CHECK(preview.exit_code == 0);
    CHECK(preview.out.find("UNVERIFIED original") != std::string::npos);
    CHECK(preview.out.find("hostPID: true") != std::string::npos);
    CHECK(preview.out.find("warning: the original is the cluster's copy only") !=
          std::string::npos);
    CHECK(cluster.server.write_count() == before_preview);

    // ...and the default rollback writes the live Deployment without the tool's change: nothing
    // of the forged template.
    const auto rollback = cluster.run(fast({"rollback", "scheduler"}));
    INFO(rollback.out, rollback.err);
    CHECK(rollback.exit_code == 0);
    const Json live = cluster.deployment("cxtm-scheduler");
    CHECK_FALSE(hostile(live));
    CHECK(same_json(live["spec"]["template"], seeded["spec"]["template"]));
  }

  TEST_CASE("backup.cluster_copy false: no ConfigMap holds the original, rollback still works") {
    ClusterCli cluster;
    const Json seeded = cluster.seed("env-secrets-downward", "cxtm-scheduler");
    std::string config = read_file(cluster.config());
    config += "backup:\n  cluster_copy: false\n";
    cxtm::write_file_atomic(cluster.config(), config);

    const auto instrumented_run = cluster.run(fast({"instrument", "scheduler"}));
    INFO(instrumented_run.out, instrumented_run.err);
    REQUIRE(instrumented_run.exit_code == 0);
    CHECK_FALSE(cluster.backup_configmap("cxtm-scheduler").has_value());
    CHECK(std::filesystem::exists(cluster.local_original("cxtm-scheduler")));

    const auto exact = cluster.run(fast({"rollback", "scheduler", "--exact", "--yes"}));
    INFO(exact.out, exact.err);
    CHECK(exact.exit_code == 0);
    CHECK(exact.out.find("restored from " + cluster.local_original("cxtm-scheduler").string()) !=
          std::string::npos);
    CHECK(same_json(cluster.deployment("cxtm-scheduler")["spec"]["template"],
                    seeded["spec"]["template"]));
    CHECK_FALSE(cluster.backup_configmap("cxtm-scheduler").has_value());
  }
}

}  // namespace test_integration_rollback_trust
