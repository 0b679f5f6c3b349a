// `instrument`, `status` and `backup` end to end: the built binary drives the real kubectl
// against the Kubernetes API server double, and every claim is checked at the server (what it
// stores, how many writes it took) or on disk (the local backups).

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>

#include "core/atomic_file.h"
#include "core/digest.h"
#include "core/json.h"
#include "instrument/owned.h"
#include "instrument/transform.h"
#include "support/cli_runner.h"
#include "support/cluster_cli.h"
#include "support/installer_log.h"
#include "support/kubectl_runner.h"
#include "support/text.h"

namespace test_integration_instrument {

using cxtm::Json;
using cxtm::read_file;
using cxtm::sha256_hex;
using cxtm::instrument::instrumented_by_us;
using cxtm::testing::app_env;
using cxtm::testing::carries_our_annotations;
using cxtm::testing::ClusterCli;
using cxtm::testing::contains;
using cxtm::testing::deployment_path;
using cxtm::testing::fast;
using cxtm::testing::Fault;
using cxtm::testing::has_installer;
using cxtm::testing::Kubectl;
using cxtm::testing::line_count;
using cxtm::testing::lines_starting;
using cxtm::testing::PodBehaviour;
using cxtm::testing::same_essence;
using cxtm::testing::same_json;

namespace {

unsigned mode_of(const std::filesystem::path& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

// The verified backup document of a local file and of the ConfigMap, with the object they hold.
Json local_backup(const ClusterCli& cluster, const std::string& deployment) {
  return Json::parse(read_file(cluster.local_original(deployment)));
}
Json cluster_backup(const ClusterCli& cluster, const std::string& deployment) {
  const auto configmap = cluster.backup_configmap(deployment);
  REQUIRE(configmap.has_value());
  return Json::parse((*configmap)["data"]["original.json"].get<std::string>());
}

}  // namespace

TEST_SUITE("integration/instrument") {
  TEST_CASE("instrument, status, a second instrument and an upgrade keep the first original") {
    ClusterCli cluster;
    const Json scheduler = cluster.seed("probes-resources", "cxtm-scheduler");
    const Json notifications = cluster.seed("env-secrets-downward", "cxtm-notifications");

    const auto first = cluster.run(fast({"instrument", "scheduler", "notifications"}));
    INFO(first.out, first.err);
    REQUIRE(first.exit_code == 0);
    CHECK(first.out.find("scheduler (default/cxtm-scheduler): instrumented") != std::string::npos);
    CHECK(first.out.find("notifications (default/cxtm-notifications): instrumented") !=
          std::string::npos);
    const int writes_after_first = cluster.server.write_count();
    // Per service: the backup ConfigMap created, the Deployment replaced.
    CHECK(writes_after_first == 4);

    for (const auto& [name, seeded] :
         {std::pair{"cxtm-scheduler", scheduler}, std::pair{"cxtm-notifications", notifications}}) {
      const auto& name_ = name;  // CAPTURE cannot name a structured binding (clang 14)
      CAPTURE(name_);
      const Json live = cluster.deployment(name);
      CHECK(instrumented_by_us(live));
      CHECK(has_installer(live));
      CHECK(app_env(live, "PYTHONPATH").starts_with("/otel-auto-instrumentation/cxtm-o11y:"));
      CHECK(app_env(live, "OTEL_SERVICE_NAME") == name);

      // Both backups hold the Deployment as it was, stripped, with a matching sha256.
      const Json expected = cxtm::instrument::strip_for_backup(seeded);
      const auto file = cluster.local_original(name);
      CHECK(mode_of(file) == 0600);
      CHECK(mode_of(file.parent_path()) == 0700);
      CHECK(mode_of(cluster.state_dir() / "backups") == 0700);
      for (const Json& document : {local_backup(cluster, name), cluster_backup(cluster, name)}) {
        CHECK(document["role"] == "original");
        CHECK(same_json(document["object"], expected));
        CHECK(document["sha256"] == sha256_hex(document["object"].dump()));
      }
      const auto configmap = cluster.backup_configmap(name);
      CHECK((*configmap)["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "cxtm-o11y");
    }

    // What every pod's installer printed (test/support/installer_log.h): status reads it back.
    cluster.server.set_log("default", "*", "otel-auto-instrumentation",
                           std::string(cxtm::testing::kInstallerLog));
    const auto status = cluster.run({"status", "-o", "json"});
    INFO(status.out, status.err);
    REQUIRE(status.exit_code == 0);
    const Json statuses = Json::parse(status.out)["services"];
    REQUIRE(statuses.size() == 2);
    for (const Json& service : statuses) {
      CAPTURE(service.dump());
      CHECK(service["state"] == "instrumented");
      CHECK(service["ready"] == service["desired"]);
      CHECK(service["backup"]["local"] == true);
      CHECK(service["backup"]["cluster"] == true);
      CHECK(service["specHash"] ==
            cluster.deployment(service["deployment"].get<std::string>().substr(
                8))["metadata"]["annotations"]["cxtm-o11y.io/spec-hash"]);
      CHECK_FALSE(service["installer"].empty());
      for (const Json& line : service["installer"]) {
        CHECK(line.get<std::string>().ends_with(": packages installed"));
      }
      CHECK(service["volume"]["added"].size() == 22);
      CHECK(service["volume"]["kept"] == Json{"packaging 24.1", "typing-extensions 4.12.2"});
      CHECK(service["volume"]["overrides"] == 0);
    }
    const auto table = cluster.run({"status", "scheduler"});
    CHECK(table.exit_code == 0);
    CHECK(table.out.find("  volume: added 22 distributions; the app's own kept: packaging 24.1, "
                         "typing-extensions 4.12.2; overrides of the app's: 0\n") !=
          std::string::npos);
    CHECK(table.out.find("cxtm-scheduler") != std::string::npos);
    CHECK(table.out.find("cluster+local") != std::string::npos);
    CHECK(table.out.find("notifications") == std::string::npos);

    // Idempotent: the same spec again writes nothing at all.
    const auto second = cluster.run(fast({"instrument", "scheduler", "notifications"}));
    INFO(second.out, second.err);
    CHECK(second.exit_code == 0);
    CHECK(second.out.find("scheduler (default/cxtm-scheduler): already instrumented") !=
          std::string::npos);
    CHECK(cluster.server.write_count() == writes_after_first);

    // Another spec (a new environment) upgrades in place; the original backups stay the first.
    const Json original_local = local_backup(cluster, "cxtm-scheduler");
    const Json original_cluster = cluster_backup(cluster, "cxtm-scheduler");
    {
      // Change the spec through the config: a new environment name.
      std::string config = read_file(cluster.config());
      const auto at = config.find("environment: cxtm-poc");
      REQUIRE(at != std::string::npos);
      config.replace(at, std::string("environment: cxtm-poc").size(), "environment: cxtm-staging");
      cxtm::write_file_atomic(cluster.config(), config);
    }
    const auto upgraded = cluster.run(fast({"instrument", "scheduler"}));
    INFO(upgraded.out, upgraded.err);
    CHECK(upgraded.exit_code == 0);
    CHECK(upgraded.out.find("scheduler (default/cxtm-scheduler): upgraded") != std::string::npos);
    const Json live = cluster.deployment("cxtm-scheduler");
    CHECK(app_env(live, "OTEL_RESOURCE_ATTRIBUTES").find("deployment.environment=cxtm-staging") !=
          std::string::npos);
    CHECK(same_json(local_backup(cluster, "cxtm-scheduler"), original_local));
    CHECK(same_json(cluster_backup(cluster, "cxtm-scheduler"), original_cluster));
  }

  TEST_CASE("with its spec-hash annotation taken out, status still reads the tool's installer") {
    ClusterCli cluster;
    cluster.seed("minimal", "cxtm-scheduler");
    REQUIRE(cluster.run(fast({"instrument", "scheduler"})).exit_code == 0);
    // By hand: the Deployment's annotation goes, the pod template (and its record) stays.
    Kubectl(cluster.server)
        .ok({"annotate", "deployment/cxtm-scheduler", "cxtm-o11y.io/spec-hash-", "-n", "default"});
    REQUIRE(instrumented_by_us(cluster.deployment("cxtm-scheduler")));

    const auto status = cluster.run({"status", "scheduler", "-o", "json"});
    INFO(status.out, status.err);
    REQUIRE(status.exit_code == 0);
    const Json service = Json::parse(status.out)["services"][0];
    CHECK(service["specHash"] == "");
    CHECK(service["state"] == "instrumented (outdated spec)");
    CHECK(service["via"] == "cxtm-o11y");
    REQUIRE_FALSE(service["installer"].empty());
    for (const Json& line : service["installer"]) {
      CHECK(line.get<std::string>().ends_with(": packages installed"));
    }
  }

  TEST_CASE("--dry-run writes nothing, not even a backup, and shows the change") {
    ClusterCli cluster;
    const Json seeded = cluster.seed("minimal", "cxtm-scheduler");

    const auto text = cluster.run(fast({"instrument", "scheduler", "--dry-run"}));
    INFO(text.out, text.err);
    CHECK(text.exit_code == 0);
    CHECK(text.out.find("--- live/default/cxtm-scheduler") != std::string::npos);
    CHECK(text.out.find("+++ instrumented/default/cxtm-scheduler") != std::string::npos);
    CHECK(text.out.find("\n+  initContainers:\n") != std::string::npos);
    // The installer's plan, one value per line: the pinned versions show.
    CHECK(text.out.find("\n+            \"opentelemetry-sdk\": {\n"
                        "+             \"version\": \"1.41.1\",\n") != std::string::npos);
    CHECK(text.out.find("scheduler (default/cxtm-scheduler): dry run") != std::string::npos);

    const auto json = cluster.run(fast({"instrument", "scheduler", "--dry-run", "-o", "json"}));
    INFO(json.out, json.err);
    CHECK(json.exit_code == 0);
    const Json result = Json::parse(json.out)["services"][0];
    CHECK(result["outcome"] == "would_change");
    const Json patch = result["patch"];
    REQUIRE(patch.is_array());
    CHECK_FALSE(patch.empty());

    CHECK(cluster.server.write_count() == 0);
    CHECK_FALSE(std::filesystem::exists(cluster.state_dir()));
    CHECK_FALSE(cluster.backup_configmap("cxtm-scheduler").has_value());
    CHECK(same_essence(cluster.deployment("cxtm-scheduler"), seeded));

    // The patch is what instrument then writes: applied to the live Deployment it gives the
    // instrumented pod template the server stores.
    const auto real = cluster.run(fast({"instrument", "scheduler"}));
    INFO(real.out, real.err);
    REQUIRE(real.exit_code == 0);
    const Json predicted = cxtm::instrument::strip_for_backup(seeded).patch(patch);
    CHECK(same_json(predicted["spec"]["template"],
                    cluster.deployment("cxtm-scheduler")["spec"]["template"]));
  }

  TEST_CASE(
      "an API error on any step before the wait names the service and cause, the cluster as it "
      "was") {
    struct Step {
      std::string name;
      Fault fault;
      int writes;  // at the server: the backup ConfigMap
    };
    const std::string deployment = deployment_path("cxtm-scheduler");
    const std::string configmap = "/api/v1/namespaces/default/configmaps/cxtm-o11y-backup-";
    // The Deployment is read by a LIST of the namespace's (then a watch), or a GET when those
    // are refused; the backup is written by one apply, with no read.
    const std::vector<Step> steps = {
        {"read the Deployment",
         {.method = "GET",
          .path_regex = "/apis/apps/v1/namespaces/default/deployments(/cxtm-scheduler)?(\\?|$)"},
         0},
        {"write the backup ConfigMap", {.method = "PATCH", .path_regex = configmap}, 0},
        {"write the Deployment", {.method = "PUT", .path_regex = deployment}, 1},
    };
    // Refusals are final at once; a 500 is asked again, so it has to last to end the run.
    std::vector<std::tuple<int, std::string, int, Step>> cases;
    for (const auto& [status, reason, code] :
         {std::tuple{403, "Forbidden", 5}, std::tuple{404, "NotFound", 4},
          std::tuple{500, "InternalError", 8}}) {
      for (Step step : steps) {
        // A read refused once is read another way (the LIST, then a GET): refusals of the
        // Deployment's reads last.
        if (status == 500 || step.name == "read the Deployment") step.fault.times = -1;
        cases.emplace_back(status, reason, code, step);
      }
    }
    for (auto& [status, reason, code, step] : cases) {
      const auto& status_ = status;  // CAPTURE cannot name a structured binding (clang 14)
      CAPTURE(status_);
      const auto& step_name_ = step.name;  // CAPTURE cannot name a structured binding (clang 14)
      CAPTURE(step_name_);
      ClusterCli cluster;
      const Json seeded = cluster.seed("minimal", "cxtm-scheduler");
      step.fault.status = status;
      step.fault.message = "injected " + reason;
      cluster.server.inject(step.fault);

      const auto result = cluster.run(fast({"instrument", "scheduler"}));
      INFO(result.out, result.err);
      CHECK(result.exit_code == code);
      CHECK(result.out.empty());
      const auto errors = lines_starting(result.err, "cxtm-o11y: error: ");
      REQUIRE(errors.size() == 1);
      CHECK(errors[0].starts_with("cxtm-o11y: error: scheduler (default/cxtm-scheduler): "));
      // A Deployment that is not found is gone (or never was); other causes show as they came.
      const std::string cause = status == 404 && step.name == "read the Deployment"
                                    ? "Deployment default/cxtm-scheduler not found"
                                    : "injected " + reason;
      CHECK(errors[0].find(cause) != std::string::npos);
      const Json live = cluster.deployment("cxtm-scheduler");
      CHECK_FALSE(carries_our_annotations(live));
      CHECK(same_json(live["spec"]["template"], seeded["spec"]["template"]));
      CHECK(cluster.server.write_count() == step.writes);
    }
  }

  TEST_CASE("a read refused while waiting leaves the change in place and names the way on") {
    // The wait's reads: the watch of the namespace's Deployments (or, refused, a GET), the
    // pods' list and watch (or, refused, a list of the Deployment's pods).
    for (const std::string& path :
         {std::string("/apis/apps/v1/namespaces/default/deployments(/cxtm-scheduler)?(\\?|$)"),
          std::string("/api/v1/namespaces/default/pods(\\?|$)")}) {
      CAPTURE(path);
      ClusterCli cluster;
      cluster.seed("minimal", "cxtm-scheduler");
      // The instrumented pods take a simulated minute to get ready: the wait lists them.
      PodBehaviour slow = PodBehaviour::ready_after(60);
      slow.when_init_container = "otel-auto-instrumentation";
      cluster.server.set_pod_behaviour("cxtm-scheduler", slow);
      // Refused for good from the moment the instrumented spec lands (write 2, after the
      // backup): the resumed watch is refused, and so is reading one by one.
      cluster.inject_from_write(2,
                                {.method = "GET", .path_regex = path, .status = 403, .times = -1});
      const auto result = cluster.run(fast({"instrument", "scheduler"}));
      INFO(result.out, result.err);
      CHECK(result.exit_code == 5);
      const auto errors = lines_starting(result.err, "cxtm-o11y: error: ");
      REQUIRE(errors.size() == 1);
      CHECK(contains(errors[0], "could not follow the rollout: "));
      CHECK(contains(errors[0], "(Forbidden)"));
      CHECK(contains(errors[0], "undo: cxtm-o11y rollback scheduler"));
      CHECK(instrumented_by_us(cluster.deployment("cxtm-scheduler")));
      CHECK(cluster.server.write_count() == 2);
    }
  }

  TEST_CASE("--all --parallel instruments a corpus of Deployment shapes and rolls them all back") {
    // Corpus shapes the API server treats differently: several containers, init containers and
    // volumes of the app's own, a native sidecar, PYTHONPATH set, $(VAR) references, annotations.
    const std::vector<std::pair<std::string, std::string>> shapes = {
        {"sidecars", "portal"}, {"init-containers-volumes", ""}, {"native-sidecar", ""},
        {"pythonpath-set", ""}, {"var-references", ""},          {"template-annotations", ""},
        {"env-from", ""}};
    std::string services;
    for (const auto& [file, container] : shapes) {
      const std::string name = cxtm::testing::corpus_deployment(file)["metadata"]["name"];
      services += "  " + file + ":\n    deployment: " + name + "\n";
      if (!container.empty()) services += "    container: " + container + "\n";
    }
    ClusterCli cluster(services);
    std::vector<std::pair<std::string, Json>> seeded;
    for (const auto& [file, container] : shapes) {
      const Json stored = cluster.seed(file);
      seeded.emplace_back(stored["metadata"]["name"], stored);
    }
    cluster.seed("minimal", "cxtm-scheduler");
    cluster.seed("cxtm-notifications-poc");

    const auto result = cluster.run(fast({"instrument", "--all", "--parallel", "4"}));
    INFO(result.out, result.err);
    CHECK(result.exit_code == 0);
    // One line per service, in the config's order.
    std::vector<std::string> lines;
    for (size_t at = 0; at < result.out.size();) {
      const auto end = result.out.find('\n', at);
      const std::string line = result.out.substr(at, end - at);
      if (!line.starts_with("  ")) lines.push_back(line);
      at = end + 1;
    }
    REQUIRE(lines.size() == shapes.size() + 2);
    CHECK(lines[0].starts_with("scheduler (default/cxtm-scheduler): instrumented"));
    CHECK(lines[1].starts_with("notifications (default/cxtm-notifications): instrumented"));
    for (size_t i = 0; i < shapes.size(); ++i) {
      CAPTURE(lines[i + 2]);
      CHECK(lines[i + 2].starts_with(shapes[i].first + " (default/" + seeded[i].first +
                                     "): instrumented"));
      CHECK(instrumented_by_us(cluster.deployment(seeded[i].first)));
    }

    const auto rollback = cluster.run(fast({"rollback", "--all", "--parallel", "3"}));
    INFO(rollback.out, rollback.err);
    CHECK(rollback.exit_code == 0);
    for (const auto& [name, original] : seeded) {
      const auto& name_ = name;  // CAPTURE cannot name a structured binding (clang 14)
      CAPTURE(name_);
      const Json live = cluster.deployment(name);
      CHECK(same_json(live["spec"]["template"], original["spec"]["template"]));
      CHECK_FALSE(instrumented_by_us(live));
    }
  }

  TEST_CASE("an unknown service is a usage error before anything is read or written") {
    ClusterCli cluster;
    cluster.seed("minimal", "cxtm-scheduler");
    for (const std::vector<std::string>& command :
         {fast({"instrument", "scheduler", "payments"}),
          fast({"rollback", "scheduler", "payments"}),
          std::vector<std::string>{"status", "scheduler", "payments"},
          std::vector<std::string>{"backup", "create", "payments"}}) {
      CAPTURE(command.front());
      const auto result = cluster.run(command);
      INFO(result.out, result.err);
      CHECK(result.exit_code == 2);
      CHECK(result.err == "cxtm-o11y: error: unknown service 'payments' (configured in " +
                              cluster.config().string() + ": scheduler, notifications)\n");
    }
    CHECK(cluster.server.requests().empty());
    CHECK_FALSE(std::filesystem::exists(cluster.state_dir()));
    CHECK(cluster.run({"instrument"}).exit_code == 2);
    CHECK(cluster.run({"instrument", "--all", "scheduler"}).exit_code == 2);
  }

  TEST_CASE("a missing Deployment and a missing kubectl are one line each, with their codes") {
    ClusterCli cluster;
    const auto missing = cluster.run(fast({"instrument", "scheduler"}));
    INFO(missing.out, missing.err);
    CHECK(missing.exit_code == 4);
    CHECK(missing.err ==
          "cxtm-o11y: error: scheduler (default/cxtm-scheduler): Deployment "
          "default/cxtm-scheduler not found\n");
    CHECK(cluster.server.write_count() == 0);

    const auto no_kubectl = cluster.run(fast({"instrument", "scheduler"}), "/nonexistent/kubectl");
    INFO(no_kubectl.out, no_kubectl.err);
    CHECK(no_kubectl.exit_code == 3);
    CHECK(line_count(no_kubectl.err) == 1);
    CHECK(no_kubectl.err.find("/nonexistent/kubectl") != std::string::npos);
  }

  TEST_CASE("backup list, show and create") {
    ClusterCli cluster;
    const Json seeded = cluster.seed("minimal", "cxtm-scheduler");
    const auto none = cluster.run({"backup", "show", "scheduler"});
    CHECK(none.exit_code == 4);
    CHECK(none.err.find("no usable original backup of Deployment default/cxtm-scheduler") !=
          std::string::npos);
    REQUIRE(cluster.run(fast({"instrument", "scheduler"})).exit_code == 0);

    const auto listed = cluster.run({"backup", "list", "-o", "json"});
    INFO(listed.out, listed.err);
    REQUIRE(listed.exit_code == 0);
    const Json backups = Json::parse(listed.out)["backups"];
    REQUIRE(backups.size() == 2);
    CHECK(backups[0]["store"] == "cluster");
    CHECK(backups[1]["store"] == "local");
    for (const Json& backup : backups) {
      CHECK(backup["service"] == "scheduler");
      CHECK(backup["deployment"] == "default/cxtm-scheduler");
      CHECK(backup["role"] == "original");
      CHECK(backup["sha256"] == backups[0]["sha256"]);
    }

    const auto shown = cluster.run({"backup", "show", "scheduler", "-o", "json"});
    INFO(shown.out, shown.err);
    REQUIRE(shown.exit_code == 0);
    const Json document = Json::parse(shown.out);
    CHECK(same_json(document["object"], cxtm::instrument::strip_for_backup(seeded)));
    CHECK(document["sha256"] == sha256_hex(document["object"].dump()));
    const auto text = cluster.run({"backup", "show", "scheduler"});
    CHECK(text.exit_code == 0);
    CHECK(text.out.starts_with("# original backup of default/cxtm-scheduler"));
    CHECK(text.out.find("kind: Deployment") != std::string::npos);

    // A snapshot of the instrumented state, beside the original in both stores.
    const int writes = cluster.server.write_count();
    const auto created = cluster.run({"backup", "create", "scheduler"});
    INFO(created.out, created.err);
    REQUIRE(created.exit_code == 0);
    CHECK(line_count(created.out) == 2);
    CHECK(cluster.server.write_count() == writes + 1);
    const Json after = Json::parse(cluster.run({"backup", "list", "-o", "json"}).out)["backups"];
    CHECK(after.size() == 4);
    int snapshots = 0;
    for (const Json& backup : after) snapshots += backup["role"] == "snapshot" ? 1 : 0;
    CHECK(snapshots == 2);
    // The original is still what rollback uses.
    CHECK(Json::parse(cluster.run({"backup", "show", "scheduler", "-o", "json"}).out)["sha256"] ==
          document["sha256"]);
    const auto table = cluster.run({"backup", "list"});
    CHECK(table.exit_code == 0);
    CHECK(line_count(table.out) == 5);
  }

  TEST_CASE("Ctrl-C stops the wait and the services not yet started, never a write half-way") {
    ClusterCli cluster;
    cluster.seed("minimal", "cxtm-scheduler");
    const Json notifications = cluster.seed("env-from", "cxtm-notifications");
    // The scheduler's new pods never turn ready: the wait goes on until the signal.
    cluster.server.set_pod_behaviour("cxtm-scheduler", PodBehaviour::ready_after(1000000));
    const auto result = cluster.run_interrupted(
        {"instrument", "scheduler", "notifications", "--parallel", "1", "--timeout", "2m",
         "--poll-interval", "20ms", "--no-validate"},
        // The backup ConfigMap and the Deployment are written: it waits now.
        [&] { return cluster.server.write_count() == 2; });
    INFO(result.out, result.err);
    CHECK(result.exit_code == 130);
    const auto errors = lines_starting(result.err, "cxtm-o11y: error: ");
    REQUIRE(errors.size() == 2);
    CHECK(errors[0] ==
          "cxtm-o11y: error: scheduler (default/cxtm-scheduler): interrupted while waiting for "
          "Deployment default/cxtm-scheduler; it stays instrumented, the original backed up "
          "(wait again: cxtm-o11y instrument scheduler; look: cxtm-o11y status scheduler; undo: "
          "cxtm-o11y rollback scheduler)");
    CHECK(errors[1] ==
          "cxtm-o11y: error: notifications (default/cxtm-notifications): interrupted; the "
          "Deployment was not changed");
    CHECK(instrumented_by_us(cluster.deployment("cxtm-scheduler")));
    CHECK(std::filesystem::exists(cluster.local_original("cxtm-scheduler")));
    CHECK(same_essence(cluster.deployment("cxtm-notifications"), notifications));
    CHECK(cluster.server.write_count() == 2);
  }
}

}  // namespace test_integration_instrument
