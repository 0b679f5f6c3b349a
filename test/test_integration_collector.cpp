// The built cxtm-o11y against the API server double, through the real kubectl: render and
// `kubectl apply -k`, collector deploy (ready, crash loop, timeout, dry run, refusals, undo),
// status, delete, and the token's path from the environment into a Secret.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "core/atomic_file.h"
#include "core/json.h"
#include "fixtures/fake_kube_api_server.h"
#include "fixtures/kube_scheduling.h"
#include "support/cli_runner.h"
#include "support/cluster_cli.h"
#include "support/kubectl_runner.h"
#include "support/temp_dir.h"
#include "support/text.h"

namespace test_integration_collector {

using cxtm::Json;
using cxtm::testing::contains;
using cxtm::testing::FakeKubeApiServer;
using cxtm::testing::Fault;
using cxtm::testing::Kubectl;
using cxtm::testing::line_count;
using cxtm::testing::lines_starting;
using cxtm::testing::PodBehaviour;
using cxtm::testing::TempDir;

namespace {

const std::string kExample = CXTM_SOURCE_DIR "/examples/cxtm-poc.yaml";
const std::string kToken = "tok-CANARY-7f3c9a1e5b2d4f60";  // never to be seen outside the Secret
constexpr const char* kDaemonSet = "/apis/apps/v1/namespaces/default/daemonsets/otel-collector";
constexpr const char* kConfigMap = "/api/v1/namespaces/default/configmaps/otel-collector";
constexpr const char* kSecret = "/api/v1/namespaces/default/secrets/splunk-access-token";
constexpr const char* kCrash =
    "Error: failed to get config: cannot unmarshal the configuration: 'exporters' unknown type: "
    "\"sapm\"";

// Every object `collector deploy` of the example writes, by API path.
const std::vector<std::string> kObjects = {
    "/api/v1/namespaces/default/serviceaccounts/otel-collector",
    "/apis/rbac.authorization.k8s.io/v1/clusterroles/otel-collector",
    "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/otel-collector",
    kSecret,
    kConfigMap,
    kDaemonSet,
    "/api/v1/namespaces/default/services/otel-collector"};

// A fake cluster and the CLI pointed at it, kubectl's cache and HOME kept in a temporary
// directory, with the kubectl the suite runs ($CXTM_TEST_KUBECTL).
struct Cluster {
  cxtm::testing::ClusterPace pace;
  FakeKubeApiServer server{pace};
  TempDir dir;
  std::filesystem::path kubeconfig = server.write_kubeconfig(dir.path());
  std::string config = kExample;
  std::string kubectl_binary = cxtm::testing::test_kubectl();

  // cxtm-o11y -c <config> --kubeconfig <fake> --kubectl <kubectl> arguments; the token is set
  // only when given.
  cxtm::kube::ProcessResult cli(const std::vector<std::string>& arguments,
                                const std::string& token = "") const {
    std::vector<std::string> argv = {
        "-c", config, "--kubeconfig", kubeconfig.string(), "--kubectl", kubectl_binary};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    return cxtm::testing::run_cli(
        argv, {{"HOME", dir.path().string()}, {"KUBECONFIG", ""}, {"SPLUNK_ACCESS_TOKEN", token}});
  }

  // collector deploy with a short timeout and a fast poll.
  cxtm::kube::ProcessResult deploy(std::vector<std::string> flags = {},
                                   const std::string& token = kToken) const {
    std::vector<std::string> arguments = {"collector", "deploy",          "--timeout",
                                          "20s",       "--poll-interval", "50ms"};
    arguments.insert(arguments.end(), flags.begin(), flags.end());
    return cli(arguments, token);
  }

  // A config written next to the kubeconfig; later commands use it.
  void use_config(const std::string& text) { config = dir.write("cxtm-o11y.yaml", text).string(); }

  bool exists(const std::string& path) const { return server.get(path).has_value(); }

  // Whether the collector's pods follow their deleted DaemonSet: the garbage collector deletes
  // them, each after its grace period, as on a real cluster (a background deletion, as kubectl
  // delete's, does not wait for them).
  bool pods_follow() const {
    return server.wait_until(
        [this] { return server.list("/api/v1/namespaces/default/pods").empty(); });
  }
};

// The example with another memory limit: a change of the ConfigMap and the DaemonSet.
std::string example_with_memory(const std::string& memory) {
  std::string text = cxtm::read_file(kExample);
  const auto at = text.find("memory: 500Mi");
  REQUIRE(at != std::string::npos);
  return text.replace(at, 13, "memory: " + memory);
}

std::string base64(const std::string& text) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < text.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(text[i]) << 16) |
                       (static_cast<unsigned char>(text[i + 1]) << 8) |
                       static_cast<unsigned char>(text[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += alphabet[(n >> shift) & 63];
  }
  if (i < text.size()) {
    unsigned n = static_cast<unsigned char>(text[i]) << 16;
    if (i + 1 < text.size()) n |= static_cast<unsigned char>(text[i + 1]) << 8;
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += i + 1 < text.size() ? alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string memory_limit(const Json& daemonset) {
  return daemonset["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]["memory"];
}

}  // namespace

TEST_SUITE("integration/collector") {
  TEST_CASE("render --output-dir writes what `kubectl apply -k` applies") {
    Cluster cluster;
    const auto out = cluster.dir.path() / "manifests";
    const auto render = cluster.cli({"render", "--output-dir", out.string()}, kToken);
    REQUIRE(render.exit_code == 0);
    CHECK_FALSE(contains(render.out + render.err, kToken));
    CHECK(std::filesystem::exists(out / "kustomization.yaml"));
    const auto secret_file = out / "secret-splunk-access-token.yaml";
    REQUIRE(std::filesystem::exists(secret_file));
    CHECK((std::filesystem::status(secret_file).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));

    const Kubectl kubectl(cluster.server);
    const std::string applied = kubectl.ok({"apply", "-k", out.string()});
    CHECK(contains(applied, "daemonset.apps/otel-collector created"));
    CHECK(contains(applied, "clusterrolebinding.rbac.authorization.k8s.io/otel-collector created"));
    for (const std::string& path : kObjects) {
      CAPTURE(path);
      CHECK(cluster.exists(path));
    }
    CHECK((*cluster.server.get(kSecret))["data"]["splunk_observability_access_token"] ==
          base64(kToken));
    REQUIRE(cluster.server.await_rollout(kDaemonSet));
    CHECK((*cluster.server.get(kDaemonSet))["status"]["numberReady"] == 2);
    // Applying the same directory again changes nothing.
    const int writes = cluster.server.write_count();
    CHECK(
        contains(kubectl.ok({"apply", "-k", out.string()}), "configmap/otel-collector unchanged"));
    CHECK(cluster.server.write_count() == writes);
  }

  TEST_CASE("render --part holds only that part's objects, and the secret part only when asked") {
    Cluster cluster;
    const auto kinds = [&](const std::string& part, const std::string& extra = "") {
      std::vector<std::string> arguments = {"render", "--part", part, "-o", "json"};
      if (!extra.empty()) arguments.push_back(extra);
      const auto rendered = cluster.cli(arguments, kToken);
      INFO(rendered.err);
      REQUIRE(rendered.exit_code == 0);
      const Json list = Json::parse(rendered.out);
      std::vector<std::string> found;
      for (const Json& item : list["items"]) found.push_back(item["kind"]);
      return found;
    };
    CHECK(kinds("cluster") == std::vector<std::string>{"ClusterRole", "ClusterRoleBinding"});
    CHECK(kinds("namespaced") ==
          std::vector<std::string>{"ServiceAccount", "ConfigMap", "DaemonSet", "Service"});
    CHECK(kinds("secret", "--include-secret") == std::vector<std::string>{"Secret"});

    const auto unasked = cluster.cli({"render", "--part", "secret"}, kToken);
    CHECK(unasked.exit_code == 2);
    CHECK(contains(unasked.err, "render --part secret: the Secret holds the token"));
    CHECK_FALSE(contains(unasked.out, "kind: Secret"));
    const auto no_token = cluster.cli({"render", "--part", "secret", "--include-secret"}, "");
    CHECK(no_token.exit_code == 2);
    CHECK(contains(no_token.err, "$SPLUNK_ACCESS_TOKEN, which is not set"));
    const auto bad = cluster.cli({"render", "--part", "everything"});
    CHECK(bad.exit_code == 2);
  }

  TEST_CASE("deploy --wait succeeds once the DaemonSet is ready, a second deploy writes nothing") {
    Cluster cluster;
    // Ready two minutes (simulated, 1.2 s) after they start: the wait usually sees them come
    // up, but on a loaded machine they can be ready before its first look, so only its last
    // line is asserted (test_integration_rollout follows a rollout line by line).
    cluster.server.set_pod_behaviour("otel-collector", PodBehaviour::ready_after(120));
    const auto result = cluster.deploy({"--wait"});
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "daemonset.apps/otel-collector ready: 2/2 pods ready, 2/2 updated\n");
    CHECK(contains(result.err, "serviceaccount/otel-collector created\n"));
    CHECK(contains(result.err, "daemonset.apps/otel-collector created\n"));
    CHECK_FALSE(lines_starting(result.err, "DaemonSet/otel-collector: ").empty());
    CHECK(contains(result.err, "DaemonSet/otel-collector: 2/2 pods ready, 2/2 updated"));
    for (const std::string& path : kObjects) {
      CAPTURE(path);
      const auto object = cluster.server.get(path);
      REQUIRE(object);
      CHECK((*object)["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "cxtm-o11y");
      CHECK((*object)["metadata"]["managedFields"][0]["manager"] == "cxtm-o11y");
      CHECK((*object)["metadata"]["managedFields"][0]["operation"] == "Apply");
    }

    const int writes = cluster.server.write_count();
    const auto again = cluster.deploy();
    CHECK(again.exit_code == 0);
    CHECK(cluster.server.write_count() == writes);
    CHECK_FALSE(contains(again.err, "created"));
    CHECK_FALSE(contains(again.err, "configured"));
  }

  TEST_CASE("deploy --wait fails on a crash loop: the pods, the reason, their logs, the undo") {
    Cluster cluster;
    cluster.server.set_pod_behaviour(
        "otel-collector",
        PodBehaviour::crash_loop(kCrash, 1, "starting\n" + std::string(kCrash) + "\n"));
    const auto result = cluster.deploy({"--wait"});
    CHECK(result.exit_code == 1);
    // The wait fails as soon as one pod's crash loop is definite. The other pod may be a moment
    // behind (running between two restarts, so not yet a problem), as on a real cluster: which
    // of the two is named first is the cluster's timing.
    const bool node_1 =
        contains(result.out, " (node-1) container otel-collector: CrashLoopBackOff, ");
    const bool node_2 =
        contains(result.out, " (node-2) container otel-collector: CrashLoopBackOff, ");
    CHECK((node_1 || node_2));
    CHECK(contains(result.out, " restarts, last exit code 1: " + std::string(kCrash) + "\n"));
    CHECK(contains(result.out, "--- log of otel-collector-"));
    CHECK(contains(result.out, "/otel-collector:\nstarting\n" + std::string(kCrash) + "\n"));
    CHECK(contains(result.out,
                   "daemonset.apps/otel-collector pods are failing: 0/2 pods ready, "
                   "2/2 updated; the previous objects were put back\n"));
    CHECK(contains(result.err, "daemonset.apps/otel-collector deleted (undo)"));
    for (const std::string& path : kObjects) {
      CAPTURE(path);
      CHECK_FALSE(cluster.exists(path));
    }
    CHECK(cluster.pods_follow());
  }

  TEST_CASE("a failed update puts the previous objects back, as they were") {
    Cluster cluster;
    REQUIRE(cluster.deploy().exit_code == 0);
    const Json before = *cluster.server.get(kDaemonSet);
    const Json config_before = *cluster.server.get(kConfigMap);
    cluster.use_config(example_with_memory("1Gi"));
    cluster.server.set_pod_behaviour("otel-collector", PodBehaviour::crash_loop(kCrash, 1));

    const auto result = cluster.deploy();
    CHECK(result.exit_code == 1);
    CHECK(contains(result.err, "daemonset.apps/otel-collector configured\n"));
    CHECK(contains(result.err, "daemonset.apps/otel-collector restored (undo)\n"));
    CHECK(contains(result.err, "configmap/otel-collector restored (undo)\n"));
    const Json after = *cluster.server.get(kDaemonSet);
    CHECK(memory_limit(before) == "500Mi");
    CHECK(memory_limit(after) == "500Mi");
    CHECK(cxtm::testing::same_json(after["spec"]["template"], before["spec"]["template"]));
    CHECK((*cluster.server.get(kConfigMap))["data"] == config_before["data"]);
  }

  TEST_CASE("deploy --timeout names the pending pods and why, --no-rollback-on-failure keeps") {
    Cluster cluster;
    cluster.server.set_pod_behaviour(
        "otel-collector",
        PodBehaviour::pending("Unschedulable", "0/2 nodes are available: 2 Insufficient memory."));
    const auto result = cluster.cli({"collector", "deploy", "--timeout", "1s", "--poll-interval",
                                     "100ms", "--no-rollback-on-failure"},
                                    kToken);
    CHECK(result.exit_code == 7);
    CHECK(
        contains(result.out, ": Unschedulable: 0/2 nodes are available: 2 Insufficient memory.\n"));
    CHECK(contains(result.out, "daemonset.apps/otel-collector not ready after 1s: 0/2 pods ready"));
    CHECK_FALSE(contains(result.out, "put back"));
    for (const std::string& path : kObjects) {
      CAPTURE(path);
      CHECK(cluster.exists(path));
    }
  }

  TEST_CASE("no node takes the collector: deploy fails naming each node and why, and undoes") {
    Cluster cluster;
    cluster.server.put_object(cxtm::testing::kubefake::make_node(
        "node-1", "10.0.0.11", Json::object(),
        Json::array({{{"key", "dedicated"}, {"value", "gpu"}, {"effect", "NoSchedule"}}})));
    cluster.server.put_object(cxtm::testing::kubefake::make_node(
        "node-2", "10.0.0.12", Json::object(), Json::array(), false));
    const auto refused = cluster.deploy();
    INFO(refused.out, refused.err);
    CHECK(refused.exit_code == 1);
    CHECK(contains(refused.out,
                   "runs on no node: 2 of 2 nodes left out: node-1 (taint dedicated=gpu:NoSchedule "
                   "not tolerated), node-2 (not ready) (let the collector run there: add the "
                   "nodes' taints to collector.tolerations"));
    CHECK(contains(refused.out, "put back"));
    for (const std::string& path : kObjects) {
      CAPTURE(path);
      CHECK_FALSE(cluster.exists(path));
    }

    // The remedy it names: tolerate the taint, and node-1 runs the collector.
    std::string text = cxtm::read_file(kExample);
    const auto at = text.find("  resources:");
    REQUIRE(at != std::string::npos);
    text.insert(at, "  tolerations:\n    - {key: dedicated, operator: Exists}\n");
    cluster.use_config(text);
    const auto deployed = cluster.deploy();
    INFO(deployed.out, deployed.err);
    CHECK(deployed.exit_code == 0);
    CHECK(contains(deployed.out, "1/1 pods ready"));
    const auto daemonset = cluster.server.get(kDaemonSet);
    REQUIRE(daemonset);
    CHECK((*daemonset)["spec"]["template"]["spec"]["tolerations"] ==
          Json::array({{{"key", "dedicated"}, {"operator", "Exists"}}}));
  }

  TEST_CASE("deploy --dry-run prints the diff and writes nothing") {
    Cluster cluster;
    const auto fresh = cluster.deploy({"--dry-run"});
    CHECK(fresh.exit_code == 0);
    CHECK(cluster.server.write_count() == 0);
    CHECK(contains(fresh.out, "+++ proposed/daemonset.apps/otel-collector\n"));
    CHECK(contains(fresh.out, "+kind: DaemonSet\n"));
    CHECK(contains(fresh.out, "daemonset.apps/otel-collector created (dry run)\n"));
    CHECK(contains(fresh.out, "dry run: nothing was changed\n"));
    CHECK_FALSE(contains(fresh.out + fresh.err, kToken));
    for (const auto& request : cluster.server.requests()) {
      // Reads, and the access reviews that ask whether the admin's objects may be written.
      if (request.method == "GET" || contains(request.path, "/selfsubjectaccessreviews")) continue;
      CAPTURE(request.path);
      CHECK(contains(request.query, "dryRun=All"));
    }

    REQUIRE(cluster.deploy().exit_code == 0);
    const int writes = cluster.server.write_count();
    cluster.use_config(example_with_memory("1Gi"));
    const auto changed = cluster.deploy({"--dry-run"});
    CHECK(changed.exit_code == 0);
    CHECK(cluster.server.write_count() == writes);
    CHECK(contains(changed.out, "--- live/daemonset.apps/otel-collector\n"));
    CHECK(contains(changed.out, "-              memory: \"500Mi\"\n"));
    CHECK(contains(changed.out, "+              memory: \"1Gi\"\n"));
    CHECK(contains(changed.out, "configmap/otel-collector configured (dry run)\n"));
    CHECK(contains(changed.out, "serviceaccount/otel-collector unchanged (dry run)\n"));
    CHECK(memory_limit(*cluster.server.get(kDaemonSet)) == "500Mi");

    const auto as_json = cluster.cli({"-o", "json", "collector", "deploy", "--dry-run"}, kToken);
    CHECK(as_json.exit_code == 0);
    const Json document = Json::parse(as_json.out);
    CHECK(document["dryRun"] == true);
    CHECK(document["rollout"].is_null());
    CHECK(document["objects"].size() == kObjects.size());
    CHECK(cluster.server.write_count() == writes);
  }

  TEST_CASE("collector status: healthy in text and JSON, not deployed, crash-looping") {
    Cluster cluster;
    const auto absent = cluster.cli({"collector", "status"});
    CHECK(absent.exit_code == 1);
    CHECK(absent.out ==
          "collector default/otel-collector: not deployed (run: cxtm-o11y collector deploy)\n");

    REQUIRE(cluster.deploy().exit_code == 0);
    const auto text = cluster.cli({"collector", "status"});
    CHECK(text.exit_code == 0);
    CHECK(contains(text.out, "collector default/otel-collector: healthy\n"));
    CHECK(contains(text.out, "  image    quay.io/signalfx/splunk-otel-collector:0.147.0\n"));
    CHECK(contains(text.out, "  config   current\n"));
    CHECK(contains(text.out, "  secret   present\n"));
    CHECK(contains(text.out, "  pods     2/2 pods ready, 2/2 updated\n"));
    CHECK(contains(text.out, "node-1"));
    CHECK(contains(text.out, "node-2"));
    const Json json = Json::parse(cluster.cli({"-o", "json", "collector", "status"}).out);
    CHECK(json["healthy"] == true);
    CHECK(json["configCurrent"] == true);
    CHECK(json["ready"] == 2);
    REQUIRE(json["pods"].size() == 2);
    CHECK(json["pods"][0]["ready"] == true);
    CHECK(json["pods"][0]["problem"].is_null());

    // The config changed since: status says the live config differs.
    cluster.use_config(example_with_memory("1Gi"));
    CHECK(contains(cluster.cli({"collector", "status"}).out,
                   "  config   differs from the rendered config\n"));

    cluster.server.set_pod_behaviour("otel-collector", PodBehaviour::crash_loop(kCrash, 1));
    REQUIRE(cluster.deploy({"--no-rollback-on-failure"}).exit_code == 1);
    const auto sick = cluster.cli({"collector", "status"});
    CHECK(sick.exit_code == 1);
    CHECK(contains(sick.out, "collector default/otel-collector: NOT healthy\n"));
    CHECK(contains(sick.out, "CrashLoopBackOff: " + std::string(kCrash)));
    const Json sick_json = Json::parse(cluster.cli({"-o", "json", "collector", "status"}).out);
    CHECK(sick_json["healthy"] == false);
    CHECK(contains(sick_json["pods"][0]["problem"].get<std::string>(), "CrashLoopBackOff"));
  }

  TEST_CASE("collector delete removes exactly the objects it created") {
    Cluster cluster;
    const Kubectl kubectl(cluster.server);
    // The user's own token Secret, and an object that merely looks related.
    kubectl.ok({"create", "-f", "-"}, R"({"apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": "splunk-access-token"},
        "data": {"splunk_observability_access_token": "dXNlcg=="}})");
    kubectl.ok({"create", "-f", "-"}, R"({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "otel-collector-notes",
                     "labels": {"app.kubernetes.io/name": "otel-collector"}}})");
    REQUIRE(cluster.deploy({}, "").exit_code == 0);

    const int writes = cluster.server.write_count();
    const auto dry = cluster.cli({"collector", "delete", "--dry-run"});
    CHECK(dry.exit_code == 0);
    CHECK(contains(dry.out, "daemonset.apps/otel-collector deleted (dry run)\n"));
    CHECK(cluster.server.write_count() == writes);
    CHECK(cluster.exists(kDaemonSet));

    const auto result = cluster.cli({"collector", "delete"});
    CHECK(result.exit_code == 0);
    CHECK(contains(result.out, "secret/splunk-access-token kept (not created by cxtm-o11y)\n"));
    CHECK(contains(result.out, "clusterrole.rbac.authorization.k8s.io/otel-collector deleted\n"));
    for (const std::string& path : kObjects) {
      CAPTURE(path);
      CHECK(cluster.exists(path) == (path == kSecret));
    }
    CHECK(cluster.exists("/api/v1/namespaces/default/configmaps/otel-collector-notes"));
    CHECK(cluster.pods_follow());
    CHECK(cluster.server.write_count() == writes + 6);

    const auto again = cluster.cli({"collector", "delete"});
    CHECK(again.exit_code == 0);
    CHECK(contains(again.out, "daemonset.apps/otel-collector absent\n"));
  }

  TEST_CASE("the token goes from the environment into the Secret and nowhere else") {
    Cluster cluster;
    // A kubectl that logs its arguments, then runs the real one (found on PATH when unqualified).
    const auto argv_log = cluster.dir.path() / "argv.log";
    cluster.kubectl_binary =
        cluster.dir
            .write("kubectl-logging",
                   "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '" + argv_log.string() + "'\nexec '" +
                       cxtm::testing::test_kubectl() + "' \"$@\"\n",
                   true)
            .string();
    const auto result = cluster.cli(
        {"-v", "collector", "deploy", "--timeout", "20s", "--poll-interval", "50ms"}, kToken);
    CHECK(result.exit_code == 0);
    CHECK(contains(result.err, "+ "));  // -v printed the kubectl commands
    CHECK_FALSE(contains(result.out + result.err, kToken));
    const std::string argv = cxtm::read_file(argv_log);
    CHECK(contains(argv, "proxy"));
    CHECK_FALSE(contains(argv, kToken));
    CHECK_FALSE(contains(argv, base64(kToken)));

    // Written by server-side apply, through kubectl proxy: no argv ever holds it.
    int secret_applies = 0;
    for (const auto& request : cluster.server.requests()) {
      if (request.method == "PATCH" && request.path == kSecret &&
          request.content_type == "application/apply-patch+yaml") {
        ++secret_applies;
      }
    }
    CHECK(secret_applies >= 1);
    const Json secret = *cluster.server.get(kSecret);
    CHECK(secret["data"]["splunk_observability_access_token"] == base64(kToken));
    CHECK_FALSE(secret["metadata"]
                    .value("annotations", Json::object())
                    .contains("kubectl.kubernetes.io/last-applied-configuration"));
    const Json daemonset = *cluster.server.get(kDaemonSet);
    CHECK_FALSE(contains(daemonset.dump(), kToken));
    CHECK_FALSE(contains(cluster.server.get(kConfigMap)->dump(), kToken));
    bool from_secret = false;
    for (const Json& env : daemonset["spec"]["template"]["spec"]["containers"][0]["env"]) {
      if (env["name"] == "SPLUNK_OBSERVABILITY_ACCESS_TOKEN") {
        // Compared field by field: Json keeps key order, the server does not.
        const Json& ref = env["valueFrom"]["secretKeyRef"];
        from_secret = ref["name"] == "splunk-access-token" &&
                      ref["key"] == "splunk_observability_access_token";
      }
    }
    CHECK(from_secret);
  }

  TEST_CASE("without a token the Secret must exist: exit 4 before any write") {
    Cluster cluster;
    const auto result = cluster.deploy({}, "");
    CHECK(result.exit_code == 4);
    CHECK(line_count(result.err) == 1);
    CHECK(result.err ==
          "cxtm-o11y: error: Secret default/splunk-access-token not found and no token supplied: "
          "export SPLUNK_ACCESS_TOKEN to have it created, or create it with key "
          "splunk_observability_access_token\n");
    CHECK(cluster.server.write_count() == 0);

    // Also when the collector's namespace does not exist yet.
    cluster.use_config(
        "cluster: c\nsplunk:\n  realm: us1\ncollector:\n  namespace: observability\n");
    const auto elsewhere = cluster.deploy({}, "");
    CHECK(elsewhere.exit_code == 4);
    CHECK(contains(elsewhere.err, "Secret observability/splunk-access-token not found"));
    CHECK(cluster.server.write_count() == 0);
  }

  TEST_CASE("a collector in its own namespace: the Namespace is created first") {
    Cluster cluster;
    cluster.use_config(
        "cluster: c\nsplunk:\n  realm: us1\ncollector:\n  namespace: observability\n");
    const auto dry = cluster.deploy({"--dry-run"});
    CHECK(dry.exit_code == 0);
    CHECK(contains(dry.out, "namespace/observability created (dry run)\n"));
    CHECK(cluster.server.write_count() == 0);

    const auto result = cluster.deploy();
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.err.starts_with("namespace/observability created\n"));
    CHECK(cluster.exists("/apis/apps/v1/namespaces/observability/daemonsets/otel-collector"));
    CHECK(cluster.exists("/api/v1/namespaces/observability/secrets/splunk-access-token"));
  }

  TEST_CASE("a Namespace someone else made is used as it is: not labelled, not deleted") {
    Cluster cluster;
    const Kubectl kubectl(cluster.server);
    kubectl.ok(
        {"create", "-f", "-"},
        R"({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "observability"}})");
    cluster.use_config(
        "cluster: c\nsplunk:\n  realm: us1\ncollector:\n  namespace: observability\n");
    const auto result = cluster.deploy();
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK_FALSE(contains(result.err, "namespace/observability"));
    const Json ns = *cluster.server.get("/api/v1/namespaces/observability");
    CHECK(cxtm::object_member(ns["metadata"], "labels").count("app.kubernetes.io/managed-by") == 0);
    const auto deleted = cluster.cli({"collector", "delete"});
    CHECK(contains(deleted.out, "namespace/observability kept (not created by cxtm-o11y)\n"));
    CHECK(cluster.exists("/api/v1/namespaces/observability"));
  }

  TEST_CASE(
      "same-named objects of another installation: refused before any write, --adopt "
      "takes them over") {
    Cluster cluster;
    const Kubectl kubectl(cluster.server);
    kubectl.ok({"create", "-f", "-"}, R"({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "otel-collector", "labels": {"app.kubernetes.io/managed-by": "Helm"}},
        "data": {"relay.yaml": "theirs"}})");
    kubectl.ok({"create", "-f", "-"}, R"({"apiVersion": "v1", "kind": "ServiceAccount",
        "metadata": {"name": "otel-collector"}})");
    const int writes = cluster.server.write_count();
    for (const std::vector<std::string>& flags :
         {std::vector<std::string>{}, std::vector<std::string>{"--dry-run"}}) {
      const auto refused = cluster.deploy(flags);
      INFO(refused.err);
      CHECK(refused.exit_code == 6);
      CHECK(lines_starting(refused.err, "cxtm-o11y: error: ").size() == 1);
      CHECK(contains(refused.err,
                     "serviceaccount/otel-collector, configmap/otel-collector already "
                     "exist without the label app.kubernetes.io/managed-by=cxtm-o11y"));
      CHECK(contains(refused.err, "--adopt"));
    }
    CHECK(cluster.server.write_count() == writes);
    CHECK((*cluster.server.get(kConfigMap))["data"]["relay.yaml"] == "theirs");

    const auto adopted = cluster.deploy({"--adopt"});
    INFO(adopted.err);
    CHECK(adopted.exit_code == 0);
    const Json ours = *cluster.server.get(kConfigMap);
    CHECK(ours["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "cxtm-o11y");
    CHECK(ours["data"]["relay.yaml"] != "theirs");
    CHECK(cluster.deploy().exit_code == 0);  // ours now: no --adopt needed again
  }

  TEST_CASE("right after collector delete, a deploy waits for its namespace to go, and says so") {
    // The namespace stays Terminating while a finalizer of another controller holds it (here the
    // test's): through the dry run, and until the deploy has seen it so.
    Cluster cluster{.pace = {.namespace_finalize = 1}};
    cluster.use_config(
        "cluster: c\nsplunk:\n  realm: us1\ncollector:\n  namespace: observability\n");
    REQUIRE(cluster.deploy().exit_code == 0);
    const std::string ns_path = "/api/v1/namespaces/observability";
    const auto hold = [&](bool held) {
      Json ns = *cluster.server.get(ns_path);
      ns["metadata"]["finalizers"] = held ? Json::array({"cxtm-test/hold"}) : Json::array();
      cluster.server.put_object(ns);
    };
    hold(true);
    const auto deleted = cluster.cli({"collector", "delete"});
    INFO(deleted.out, deleted.err);
    REQUIRE(deleted.exit_code == 0);
    REQUIRE(cluster.server.get(ns_path)->at("metadata").contains("deletionTimestamp"));

    const auto dry = cluster.deploy({"--dry-run"});
    INFO(dry.out, dry.err);
    CHECK(dry.exit_code == 0);
    CHECK(contains(dry.out, "namespace/observability created (dry run)\n"));
    CHECK(contains(dry.err + dry.out, "namespace observability is being deleted"));

    // The finalizer goes once the deploy's wait has read the namespace twice (found it
    // Terminating, said so, and looks again): the reads after its plan's dry run of the
    // Namespace. (kubectl itself reads the Namespace too, after each object it did not find.)
    const size_t requests_before = cluster.server.requests().size();
    const auto reads_of_ns_while_waiting = [&] {
      int reads = 0;
      bool planned = false;
      const auto requests = cluster.server.requests();
      for (size_t i = requests_before; i < requests.size(); ++i) {
        const auto& request = requests[i];
        if (request.path != ns_path) continue;
        if (request.method == "PATCH" && contains(request.query, "dryRun")) {
          planned = true;
          reads = 0;
        } else if (request.method == "GET" && planned) {
          ++reads;
        }
      }
      return reads;
    };
    std::thread release([&] {
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(2);
      while (reads_of_ns_while_waiting() < 2 && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      hold(false);
    });
    const auto result = cluster.deploy();
    release.join();
    INFO(result.out, result.err);
    CHECK(result.exit_code == 0);
    CHECK(contains(result.err,
                   "namespace observability is being deleted; waiting for it to go before the "
                   "collector is deployed into it anew"));
    CHECK(contains(result.err, "namespace/observability created\n"));
    const auto ns = cluster.server.get(ns_path);
    REQUIRE(ns);
    CHECK_FALSE((*ns)["metadata"].contains("deletionTimestamp"));
    CHECK(cluster.exists("/apis/apps/v1/namespaces/observability/daemonsets/otel-collector"));
  }

  TEST_CASE("an API error while applying puts back what was applied before it") {
    Cluster cluster;
    cluster.server.inject({.method = "PATCH",
                           .path_regex = "/daemonsets/otel-collector\\?fieldManager=",
                           .status = 403});
    const auto result = cluster.deploy();
    CHECK(result.exit_code == 5);
    CHECK(line_count(result.err.substr(result.err.rfind("cxtm-o11y: error:"))) == 1);
    CHECK(contains(result.err,
                   "cxtm-o11y: error: kubectl apply DaemonSet default/otel-collector: Error from "
                   "server (Forbidden): daemonsets.apps \"otel-collector\" is forbidden: User "
                   "\"fake-user\" cannot patch resource \"daemonsets\" in API group \"apps\" in "
                   "the namespace \"default\"; the previous objects were put back\n"));
    CHECK(contains(result.err, "configmap/otel-collector deleted (undo)\n"));
    for (const std::string& path : kObjects) {
      CAPTURE(path);
      CHECK_FALSE(cluster.exists(path));
    }
  }

  TEST_CASE("each bad config is one line naming file:line:column and field, exit 2, no request") {
    Cluster cluster;
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"cluster: c\nsplunk:\n  realm: us1\ncolector: {}\n",
         "bad.yaml:4:1: colector: unknown field (did you mean 'collector'?)"},
        {"cluster: c\nsplunk: us1\n", "bad.yaml:2:1: splunk: expected a mapping, got 'us1'"},
        {"cluster: c\nsplunk:\n  realm: us1\n  realm: us2\n",
         "bad.yaml:4:3: splunk.realm: duplicate field"},
        {"cluster: c\nsplunk:\n  realm: us1\ncollector:\n  name: Otel_Collector\n",
         "bad.yaml:5:3: collector.name: 'Otel_Collector'"},
        {"cluster: c\nsplunk:\n  realm: us1\n  access_token:\n    secret: Bad_Secret\n",
         "bad.yaml:5:5: splunk.access_token.secret: 'Bad_Secret'"},
        {"cluster: c\nsplunk:\n  realm: us1\nservices:\n  api:\n    selector: \"app in (a\"\n",
         "bad.yaml:6:5: services.api.selector: 'app in (a'"},
        {"cluster: c\nsplunk:\n  realm: us1\ncollector:\n  resources:\n    limits:\n      memory: "
         "500MB\n",
         "bad.yaml:7:7: collector.resources.limits.memory: '500MB' is not a Kubernetes quantity"},
        {"cluster: c\nsplunk:\n  realm: us1\ncollector:\n  ports:\n    otlp_grpc: [4317]\n",
         "bad.yaml:6:5: collector.ports.otlp_grpc: expected a whole number from 1 to 65535"},
        {"splunk:\n  realm: us1\n", "bad.yaml: cluster: required field is missing"},
        {"cluster: c\nsplunk:\n  realm: us1\n  logs: {}\n",
         "bad.yaml:4:3: splunk.logs: Splunk Observability Cloud no longer ingests logs directly"},
        {"cluster: c\nsplunk: [\n", "bad.yaml:3:1: invalid YAML"},
    };
    for (const auto& [text, expected] : cases) {
      const auto& text_ = text;  // CAPTURE cannot name a structured binding (clang 14)
      CAPTURE(text_);
      cluster.config = cluster.dir.write("bad.yaml", text).string();
      const auto result = cluster.deploy();
      CHECK(result.exit_code == 2);
      CHECK(line_count(result.err) == 1);
      CHECK(result.err.starts_with("cxtm-o11y: error: " + cluster.config + ":"));
      CHECK(contains(result.err, expected));
      CHECK(result.out.empty());
    }
    CHECK(cluster.server.requests().empty());
  }
}

}  // namespace test_integration_collector
