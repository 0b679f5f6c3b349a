// `instrument --via operator` through the binary and the real kubectl against the API server
// double with the OpenTelemetry Operator's own Instrumentation CRD applied to it (as an admin
// installs the Operator: kubectl create -f, then wait for Established) and the model of the
// Operator's pod webhook running: the Instrumentation written and checked against the CRD's
// schema, the pods injected at creation, status and rollback; and a cluster without the
// Operator, where the command refuses before writing anything.

#include <doctest/doctest.h>

#include "core/json.h"
#include "core/yaml_json.h"
#include "net/http_client.h"
#include "support/cli_runner.h"
#include "support/cluster_cli.h"

namespace test_integration_operator {

using cxtm::Json;
using cxtm::testing::ClusterCli;
using cxtm::testing::fast;
using cxtm::testing::kErrorPrefix;
using cxtm::testing::lines_starting;

namespace {

const std::string kCrdFile =
    CXTM_SOURCE_DIR "/test/testdata/operator/opentelemetry.io_instrumentations.yaml";
const std::string kInstrumentationPath =
    "/apis/opentelemetry.io/v1alpha1/namespaces/default/instrumentations/cxtm-o11y";
const std::string kDeploymentPath = "/apis/apps/v1/namespaces/default/deployments/cxtm-scheduler";

// The Operator installed as an admin installs it: its CRD created with kubectl and waited for,
// its webhook running.
void install_operator(ClusterCli& cluster) {
  const auto created = cluster.kubectl({"create", "-f", kCrdFile});
  INFO(created.out, created.err);
  REQUIRE(created.exit_code == 0);
  const auto established = cluster.kubectl({"wait", "--for=condition=established", "--timeout=20s",
                                            "crd/instrumentations.opentelemetry.io"});
  INFO(established.out, established.err);
  REQUIRE(established.exit_code == 0);
  cluster.server.install_operator_webhook();
}

std::vector<Json> scheduler_pods(const ClusterCli& cluster) {
  std::vector<Json> pods;
  for (const Json& pod : cluster.server.list("/api/v1/namespaces/default/pods")) {
    if (pod["metadata"]["name"].get<std::string>().starts_with("cxtm-scheduler-") &&
        !pod["metadata"].contains("deletionTimestamp")) {
      pods.push_back(pod);
    }
  }
  return pods;
}

// A server-side apply of yaml sent straight to the API server, without kubectl.
cxtm::net::HttpResponse apply_patch(const ClusterCli& cluster, const std::string& target,
                                    const std::string& yaml) {
  return cxtm::net::CurlHttpClient().send(
      {.method = "PATCH",
       .url = cluster.server.url() + target,
       .headers = {{"Content-Type", "application/apply-patch+yaml"}},
       .body = yaml});
}

bool injected(const Json& pod) {
  for (const Json& init : pod["spec"].value("initContainers", Json::array())) {
    if (init.value("name", "") == "opentelemetry-auto-instrumentation-python") return true;
  }
  return false;
}

}  // namespace

TEST_SUITE("integration/operator") {
  TEST_CASE("without the Operator's CRDs: refused with exit 4, nothing written") {
    ClusterCli cluster;
    cluster.seed("minimal", "cxtm-scheduler");
    const int writes = cluster.server.write_count();
    const auto result = cluster.run(fast({"instrument", "scheduler", "--via", "operator"}));
    INFO(result.out, result.err);
    CHECK(result.exit_code == 4);
    CHECK(result.err.find("does not serve opentelemetry.io/v1alpha1") != std::string::npos);
    CHECK(cluster.server.write_count() == writes);
  }

  TEST_CASE(
      "the CRD's schema is enforced: an unknown field refused (Strict) or pruned with a warning, "
      "a bad enum invalid") {
    ClusterCli cluster;
    install_operator(cluster);
    const std::string typo =
        "apiVersion: opentelemetry.io/v1alpha1\nkind: Instrumentation\nmetadata:\n  name: t\n"
        "spec:\n  exporter:\n    endpiont: http://x:4318\n";
    const std::string path =
        "/apis/opentelemetry.io/v1alpha1/namespaces/default/instrumentations/t";
    // As kubectl 1.25+ asks (fieldValidation=Strict): refused. As older ones do (no
    // fieldValidation, the server's Warn): the field dropped, a warning in the answer.
    const auto strict = apply_patch(cluster, path + "?fieldManager=t&fieldValidation=Strict", typo);
    CHECK(strict.status == 400);
    CHECK(strict.body.find("strict decoding error: unknown field \\\"spec.exporter.endpiont\\\"") !=
          std::string::npos);
    CHECK(cluster.server.get(path) == std::nullopt);
    const auto warned = apply_patch(cluster, path + "?fieldManager=t", typo);
    CHECK(warned.status == 201);
    CHECK(warned.header("warning") == "299 - \"unknown field \\\"spec.exporter.endpiont\\\"\"");
    const auto stored = cluster.server.get(path);
    REQUIRE(stored);
    CHECK_FALSE((*stored)["spec"]["exporter"].contains("endpiont"));
    // kubectl, whichever of the two it is, names the field.
    const auto unknown = cluster.kubectl({"apply", "--server-side", "-f", "-"}, typo);
    CHECK(unknown.err.find("unknown field \"spec.exporter.endpiont\"") != std::string::npos);
    const std::string sampler =
        "apiVersion: opentelemetry.io/v1alpha1\nkind: Instrumentation\nmetadata:\n  name: t\n"
        "spec:\n  sampler:\n    type: sometimes\n";
    const auto invalid = cluster.kubectl({"apply", "--server-side", "-f", "-"}, sampler);
    CHECK(invalid.exit_code != 0);
    CHECK(invalid.err.find("spec.sampler.type: Unsupported value: \"sometimes\"") !=
          std::string::npos);
  }

  TEST_CASE(
      "instrument --via operator: Instrumentation, annotations, injected pods, status, "
      "rollback") {
    ClusterCli cluster;
    install_operator(cluster);
    const Json original = cluster.seed("minimal", "cxtm-scheduler");

    const auto dry = cluster.run(
        fast({"instrument", "scheduler", "--via", "operator", "--dry-run", "--detailed-exitcode"}));
    INFO(dry.out, dry.err);
    CHECK(dry.exit_code == 2);
    CHECK_FALSE(cluster.server.get(kInstrumentationPath).has_value());

    const auto result = cluster.run(fast({"instrument", "scheduler", "--via", "operator"}));
    INFO(result.out, result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.out.find("Instrumentation default/cxtm-o11y created") != std::string::npos);
    const auto instrumentation = cluster.server.get(kInstrumentationPath);
    REQUIRE(instrumentation.has_value());
    CHECK((*instrumentation)["spec"]["exporter"]["endpoint"] ==
          "http://otel-collector.default.svc:4318");
    const Json deployment = cluster.deployment("cxtm-scheduler");
    const Json& annotations = deployment["spec"]["template"]["metadata"]["annotations"];
    CHECK(annotations["instrumentation.opentelemetry.io/inject-python"] == "cxtm-o11y");
    CHECK(annotations["resource.opentelemetry.io/service.name"] == "cxtm-scheduler");
    CHECK_FALSE(deployment["spec"]["template"]["spec"].contains("initContainers"));
    const auto pods = scheduler_pods(cluster);
    REQUIRE_FALSE(pods.empty());
    for (const Json& pod : pods) CHECK(injected(pod));

    // Sticky: a run without --via keeps the Operator; nothing to do.
    const auto again = cluster.run(fast({"instrument", "scheduler"}));
    INFO(again.out, again.err);
    CHECK(again.exit_code == 0);
    CHECK(again.out.find("already instrumented with this spec") != std::string::npos);

    const auto text = cluster.run({"status", "scheduler"});
    INFO(text.out, text.err);
    CHECK(text.out.find("instrumented (Operator)") != std::string::npos);
    CHECK(text.out.find("  injection cxtm-scheduler-") != std::string::npos);
    const auto status = cluster.run({"status", "scheduler", "-o", "json"});
    INFO(status.out, status.err);
    REQUIRE(status.exit_code == 0);
    const Json report = Json::parse(status.out);
    const Json& service = report["services"][0];
    CHECK(service["state"] == "instrumented");
    CHECK(service["injector"] == "operator");
    REQUIRE_FALSE(service["installer"].empty());
    CHECK(service["installer"][0].get<std::string>().find("injected by the Operator") !=
          std::string::npos);

    const auto rollback = cluster.run(fast({"rollback", "scheduler"}));
    INFO(rollback.out, rollback.err);
    REQUIRE(rollback.exit_code == 0);
    CHECK(rollback.out.find("Instrumentation default/cxtm-o11y deleted") != std::string::npos);
    CHECK_FALSE(cluster.server.get(kInstrumentationPath).has_value());
    CHECK(cxtm::same_json(cluster.deployment("cxtm-scheduler")["spec"]["template"],
                          original["spec"]["template"]));
    for (const Json& pod : scheduler_pods(cluster)) CHECK_FALSE(injected(pod));
  }

  TEST_CASE("the Operator's webhook not running: nothing injected, put back, exit 1") {
    ClusterCli cluster;
    const auto created = cluster.kubectl({"create", "-f", kCrdFile});
    REQUIRE(created.exit_code == 0);
    REQUIRE(cluster
                .kubectl({"wait", "--for=condition=established", "--timeout=20s",
                          "crd/instrumentations.opentelemetry.io"})
                .exit_code == 0);
    const Json original = cluster.seed("minimal", "cxtm-scheduler");
    const auto result = cluster.run(fast({"instrument", "scheduler", "--via", "operator"}));
    INFO(result.out, result.err);
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("the Operator did not inject cxtm-scheduler-") != std::string::npos);
    CHECK(result.err.find("rolled back to the original") != std::string::npos);
    CHECK(cxtm::same_json(cluster.deployment("cxtm-scheduler")["spec"]["template"],
                          original["spec"]["template"]));
    CHECK_FALSE(cluster.server.get(kInstrumentationPath).has_value());
  }

  TEST_CASE("pods created before the Operator's cache held the Instrumentation are replaced") {
    ClusterCli cluster;
    install_operator(cluster);
    // Its informer sees the new Instrumentation 200 simulated seconds (2 s) late, and not before
    // the first pod of the rollout is let through uninjected, however slow the machine.
    cluster.server.install_operator_webhook(200, 1);
    cluster.seed("minimal", "cxtm-scheduler");
    const auto result = cluster.run(fast({"instrument", "scheduler", "--via", "operator"}));
    INFO(result.out, result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("the Operator had not injected them") != std::string::npos);
    const auto pods = scheduler_pods(cluster);
    REQUIRE_FALSE(pods.empty());
    for (const Json& pod : pods) CHECK(injected(pod));
  }

  TEST_CASE("a pod created while the Instrumentation is missing is not injected: status says so") {
    ClusterCli cluster;
    install_operator(cluster);
    cluster.seed("minimal", "cxtm-scheduler");
    REQUIRE(cluster.run(fast({"instrument", "scheduler", "--via", "operator"})).exit_code == 0);
    // Someone deletes the Instrumentation; the next pods start uninstrumented (fail-open).
    REQUIRE(cluster.server.erase(kInstrumentationPath));
    const auto restarted = cluster.kubectl({"rollout", "restart", "deployment/cxtm-scheduler"});
    REQUIRE(restarted.exit_code == 0);
    REQUIRE(cluster.server.await_rollout(kDeploymentPath));
    const auto status = cluster.run({"status", "scheduler", "-o", "json"});
    const Json service = Json::parse(status.out)["services"][0];
    INFO(status.out);
    REQUIRE_FALSE(service["installer"].empty());
    CHECK(service["installer"][0].get<std::string>().find("not injected") != std::string::npos);
    // instrument again writes the Instrumentation back (the Deployment is current).
    const auto again = cluster.run(fast({"instrument", "scheduler"}));
    INFO(again.out, again.err);
    CHECK(again.exit_code == 0);
    CHECK(again.out.find("Instrumentation default/cxtm-o11y created") != std::string::npos);
  }

  TEST_CASE("a StatefulSet through the Operator: every ordinal's pod injected, then rolled back") {
    ClusterCli cluster("  ledger:\n    deployment: cxtm-ledger\n    kind: StatefulSet\n");
    install_operator(cluster);
    Json ledger = cxtm::testing::corpus_deployment("minimal");
    ledger["kind"] = "StatefulSet";
    ledger["metadata"]["name"] = "cxtm-ledger";
    ledger.erase("status");
    ledger["spec"].erase("strategy");
    ledger["spec"].erase("progressDeadlineSeconds");
    ledger["spec"]["serviceName"] = "cxtm-ledger";
    ledger["spec"]["replicas"] = 2;
    const std::string path = "/apis/apps/v1/namespaces/default/statefulsets/cxtm-ledger";
    cluster.server.put_object(ledger);
    REQUIRE(cluster.server.await_rollout(path));
    const Json original = *cluster.server.get(path);

    const auto result = cluster.run(fast({"instrument", "ledger", "--via", "operator"}));
    INFO(result.out, result.err);
    REQUIRE(result.exit_code == 0);
    int pods = 0;
    for (const Json& pod : cluster.server.list("/api/v1/namespaces/default/pods")) {
      if (!pod["metadata"]["name"].get<std::string>().starts_with("cxtm-ledger-")) continue;
      ++pods;
      CHECK(injected(pod));
      // The webhook names the StatefulSet as the service's workload.
      for (const Json& entry : pod["spec"]["containers"][0]["env"]) {
        if (entry.value("name", "") == "OTEL_SERVICE_NAME") CHECK(entry["value"] == "cxtm-ledger");
      }
    }
    CHECK(pods == 2);
    const auto rollback = cluster.run(fast({"rollback", "ledger"}));
    INFO(rollback.out, rollback.err);
    CHECK(rollback.exit_code == 0);
    CHECK(cxtm::same_json((*cluster.server.get(path))["spec"]["template"],
                          original["spec"]["template"]));
    CHECK_FALSE(cluster.server.get(kInstrumentationPath).has_value());
  }

  TEST_CASE("a Deployment scaled to zero: instrumented through the Operator, nothing to verify") {
    ClusterCli cluster;
    install_operator(cluster);
    Json scaled = cluster.seed("minimal", "cxtm-scheduler");
    scaled["spec"]["replicas"] = 0;
    cluster.server.put_object(scaled);
    REQUIRE(cluster.server.await_rollout(kDeploymentPath));
    const auto result = cluster.run(fast({"instrument", "scheduler", "--via", "operator"}));
    INFO(result.out, result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("the Operator did not inject") == std::string::npos);
    CHECK(scheduler_pods(cluster).empty());
  }
}

}  // namespace test_integration_operator
