// collector rotate-token through the binary (issue 18): the new token reaches the pods only by
// replacing them (the API double's kubelet resolves a container's env once, at its start, as the
// real one does), the exporter is then checked with it, and a token Splunk refuses is undone.
#include <doctest/doctest.h>

#include <mutex>
#include <set>
#include <string>

#include "core/json.h"
#include "support/text.h"
#include "support/validate_world.h"

namespace test_integration_collector_rotate {

using cxtm::Json;
using cxtm::testing::contains;
using cxtm::testing::FakeCollector;
using cxtm::testing::ValidateWorld;

namespace {

constexpr const char* kOldToken = "old-ingest-token-0123456789";
constexpr const char* kNewToken = "new-ingest-token-9876543210";
constexpr const char* kTokenVariable = "SPLUNK_OBSERVABILITY_ACCESS_TOKEN";
constexpr const char* kSecretPath = "/api/v1/namespaces/default/secrets/splunk-access-token";
constexpr const char* kDaemonSetPath = "/apis/apps/v1/namespaces/default/daemonsets/otel-collector";

// A cluster with the collector deployed by the tool with the old token, whose exporter gets
// through only when every collector pod started with a token "Splunk" takes.
struct RotationWorld {
  ValidateWorld world{ValidateWorld::Setup{.collector = false}};
  std::mutex mutex;
  std::set<std::string> taken = {kOldToken};

  RotationWorld() {
    const auto deploy = world.run({"collector", "deploy", "--poll-interval", "50ms"},
                                  {{"SPLUNK_ACCESS_TOKEN", kOldToken}});
    INFO(deploy.out, deploy.err);
    REQUIRE(deploy.exit_code == 0);
    world.collector.set_exporter_rule([this] {
      std::lock_guard lock(mutex);
      for (const auto& token : pod_tokens()) {
        if (!taken.contains(token)) return FakeCollector::Exporter::fails;
      }
      return FakeCollector::Exporter::sends;
    });
  }

  void splunk_takes(std::set<std::string> tokens) {
    std::lock_guard lock(mutex);
    taken = std::move(tokens);
  }

  // The token each collector pod's container started with, by pod uid.
  std::map<std::string, std::string> tokens_by_pod() const {
    std::map<std::string, std::string> tokens;
    for (const Json& pod : world.kube.list("/api/v1/namespaces/default/pods")) {
      const std::string name = pod["metadata"]["name"];
      if (!name.starts_with("otel-collector-")) continue;
      const auto env =
          world.kube.container_env("/api/v1/namespaces/default/pods/" + name, "otel-collector");
      const auto token = env.find(kTokenVariable);
      tokens[pod["metadata"]["uid"]] = token == env.end() ? "" : token->second;
    }
    return tokens;
  }

  std::vector<std::string> pod_tokens() const {
    std::vector<std::string> tokens;
    for (const auto& [uid, token] : tokens_by_pod()) tokens.push_back(token);
    return tokens;
  }

  std::string checksum_annotation() const {
    const auto daemon_set = world.kube.get(kDaemonSetPath);
    REQUIRE(daemon_set);
    return (*daemon_set)["spec"]["template"]["metadata"]["annotations"].value("checksum/secret",
                                                                              "");
  }

  std::string secret_data() const {
    const auto secret = world.kube.get(kSecretPath);
    REQUIRE(secret);
    return (*secret)["data"]["splunk_observability_access_token"];
  }

  cxtm::kube::ProcessResult rotate(const std::string& token,
                                   std::vector<std::string> extra = {}) const {
    std::vector<std::string> arguments = {"collector", "rotate-token", "--poll-interval",
                                          "50ms",      "--timeout",    "60s"};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return world.run(arguments, {{"SPLUNK_ACCESS_TOKEN", token}});
  }
};

}  // namespace

TEST_SUITE("integration/collector rotate-token") {
  TEST_CASE("a new token in the Secret alone does not reach the running collector") {
    RotationWorld rotation;
    const auto before = rotation.tokens_by_pod();
    REQUIRE_FALSE(before.empty());
    for (const auto& [uid, token] : before) CHECK(token == kOldToken);
    // What the POC's scripts did: the Secret rewritten, nothing else.
    auto secret = *rotation.world.kube.get(kSecretPath);
    secret["data"]["splunk_observability_access_token"] = "bmV3LWluZ2VzdC10b2tlbi05ODc2NTQzMjEw";
    rotation.world.kube.put_object(secret);
    rotation.splunk_takes({kNewToken});
    CHECK(rotation.tokens_by_pod() == before);  // the same pods, the old token
    const auto validate = rotation.world.validate({"--timeout", "20s"});
    CHECK(validate.exit_code == 1);  // the exporter's sends fail: what rotate-token prevents
  }

  TEST_CASE("rotate-token: the Secret, new pods with the new token, the exporter checked") {
    RotationWorld rotation;
    const auto before = rotation.tokens_by_pod();
    const std::string old_checksum = rotation.checksum_annotation();
    REQUIRE(old_checksum.size() == 64);
    rotation.splunk_takes({kOldToken, kNewToken});  // Splunk keeps the old one a while
    const auto result = rotation.rotate(kNewToken);
    INFO(result.out, result.err);
    CHECK(result.exit_code == 0);
    CHECK(rotation.secret_data() == "bmV3LWluZ2VzdC10b2tlbi05ODc2NTQzMjEw");  // base64(new)
    CHECK(rotation.checksum_annotation() != old_checksum);
    const auto after = rotation.tokens_by_pod();
    REQUIRE(after.size() == before.size());
    for (const auto& [uid, token] : after) {
      CHECK_FALSE(before.contains(uid));  // every pod replaced: a rolling restart
      CHECK(token == kNewToken);
    }
    CHECK(contains(result.out, "6  exporter  pass"));  // the exporter check ran, and passed
    CHECK(contains(result.out, "daemonset.apps/otel-collector ready"));
    for (const auto* text : {&result.out, &result.err}) {
      CHECK_FALSE(contains(*text, kNewToken));
      CHECK_FALSE(contains(*text, kOldToken));
    }
    // A second run finds nothing to do.
    const auto again = rotation.rotate(kNewToken);
    INFO(again.out, again.err);
    CHECK(again.exit_code == 0);
    CHECK(contains(again.out, "the Secret already holds this token"));
  }

  TEST_CASE("a token Splunk refuses: the exporter check fails and the old token is back") {
    RotationWorld rotation;
    const std::string old_secret = rotation.secret_data();
    const std::string old_checksum = rotation.checksum_annotation();
    const auto result = rotation.rotate(kNewToken);  // Splunk takes only the old one
    INFO(result.out, result.err);
    CHECK(result.exit_code == 1);
    CHECK(contains(result.out, "does not get through with the new token"));
    CHECK(contains(result.out, "the previous objects were put back"));
    CHECK(rotation.secret_data() == old_secret);
    CHECK(rotation.checksum_annotation() == old_checksum);
    REQUIRE(rotation.world.kube.wait_until([&] {
      const auto tokens = rotation.pod_tokens();
      return !tokens.empty() && std::all_of(tokens.begin(), tokens.end(),
                                            [](const auto& token) { return token == kOldToken; });
    }));
  }

  TEST_CASE("rotate-token refuses, before any write: no token, an external Secret, other changes") {
    RotationWorld rotation;
    const int writes = rotation.world.kube.write_count();
    const auto no_token = rotation.world.run({"collector", "rotate-token"}, {});
    CHECK(no_token.exit_code == 2);
    CHECK(contains(no_token.err, "export SPLUNK_ACCESS_TOKEN with it"));
    // The config asks for more than a token: a deploy's to make.
    const auto& dir = rotation.world.dir;
    const std::string text = dir.read("cxtm-o11y.yaml");
    dir.write("cxtm-o11y.yaml",
              text + "collector:\n  resources:\n    limits:\n      memory: 1Gi\n");
    const auto other = rotation.rotate(kNewToken);
    CHECK(other.exit_code == 6);
    CHECK(contains(other.err, "daemonset.apps/otel-collector differs from the config"));
    CHECK(contains(other.err, "rotate-token changes only the token"));
    // A Secret made elsewhere is rotated there.
    std::string external_text = text;
    const std::string realm = "  realm: us1\n";
    external_text.replace(external_text.find(realm), realm.size(),
                          realm + "  access_token:\n    external: true\n");
    dir.write("cxtm-o11y.yaml", external_text);
    const auto external = rotation.rotate(kNewToken);
    CHECK(external.exit_code == 2);
    CHECK(contains(external.err, "rotate the token there"));
    CHECK(rotation.world.kube.write_count() == writes);
  }

  TEST_CASE(
      "rotate-token --dry-run shows the Secret masked and the pods' checksum, writes nothing") {
    RotationWorld rotation;
    const int writes = rotation.world.kube.write_count();
    const auto result = rotation.rotate(kNewToken, {"--dry-run"});
    INFO(result.out, result.err);
    CHECK(result.exit_code == 0);
    CHECK(contains(result.out, "checksum/secret"));
    CHECK(contains(result.out, "secret/splunk-access-token configured (dry run)"));
    CHECK_FALSE(contains(result.out, kNewToken));
    CHECK_FALSE(contains(result.out, "bmV3LWluZ2VzdC10b2tlbi05ODc2NTQzMjEw"));
    CHECK(rotation.world.kube.write_count() == writes);
  }

  TEST_CASE("an external Secret: deploy checks it is there with its key and never writes it") {
    ValidateWorld world{ValidateWorld::Setup{.collector = false}};
    std::string config = world.dir.read("cxtm-o11y.yaml");
    const std::string realm = "  realm: us1\n";
    config.replace(config.find(realm), realm.size(),
                   realm + "  access_token:\n    external: true\n");
    world.dir.write("cxtm-o11y.yaml", config);
    const auto missing = world.run({"collector", "deploy"}, {{"SPLUNK_ACCESS_TOKEN", kNewToken}});
    CHECK(missing.exit_code == 4);
    CHECK(contains(missing.err,
                   "Secret default/splunk-access-token not found: it is made by your "
                   "own tooling (splunk.access_token.external"));
    CHECK_FALSE(world.kube.get(kSecretPath));
    // The team's tooling makes it (an External Secrets sync, say).
    world.kube.put_object(Json::parse(R"({"apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": "splunk-access-token", "namespace": "default",
                     "labels": {"app.kubernetes.io/managed-by": "external-secrets"}},
        "data": {"splunk_observability_access_token": "b2xkLWluZ2VzdC10b2tlbi0wMTIzNDU2Nzg5"}})"));
    const auto deployed = world.run({"collector", "deploy", "--poll-interval", "50ms"},
                                    {{"SPLUNK_ACCESS_TOKEN", kNewToken}});
    INFO(deployed.out, deployed.err);
    CHECK(deployed.exit_code == 0);
    const auto secret = world.kube.get(kSecretPath);
    REQUIRE(secret);
    CHECK((*secret)["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "external-secrets");
    CHECK((*secret)["data"]["splunk_observability_access_token"] ==
          "b2xkLWluZ2VzdC10b2tlbi0wMTIzNDU2Nzg5");
    CHECK_FALSE(contains(deployed.out, "secret/splunk-access-token"));
    // Its pods started with the Secret's token, and their template carries its checksum.
    const auto daemon_set = world.kube.get(kDaemonSetPath);
    REQUIRE(daemon_set);
    CHECK((*daemon_set)["spec"]["template"]["metadata"]["annotations"]["checksum/secret"]
              .get<std::string>()
              .size() == 64);
  }
}

}  // namespace test_integration_collector_rotate
