// collector upgrade through the binary (issue 18): another pinned release shown as a diff of
// image and config, rendered with the component names that release knows, rolled out, and put
// back when its pods fail.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <string>

#include "core/json.h"
#include "support/text.h"
#include "support/validate_world.h"

namespace test_integration_collector_upgrade {

using cxtm::Json;
using cxtm::testing::contains;
using cxtm::testing::PodBehaviour;
using cxtm::testing::ValidateWorld;

namespace {

constexpr const char* kToken = "fake-ingest-token-0123456789";
constexpr const char* kDaemonSetPath = "/apis/apps/v1/namespaces/default/daemonsets/otel-collector";
constexpr const char* kConfigMapPath = "/api/v1/namespaces/default/configmaps/otel-collector";

struct UpgradeWorld {
  ValidateWorld world{ValidateWorld::Setup{.collector = false}};

  UpgradeWorld() {
    const auto deploy = run({"collector", "deploy"});
    INFO(deploy.out, deploy.err);
    REQUIRE(deploy.exit_code == 0);
  }

  cxtm::kube::ProcessResult run(std::vector<std::string> arguments) const {
    arguments.insert(arguments.end(), {"--poll-interval", "50ms", "--timeout", "60s"});
    return world.run(arguments, {{"SPLUNK_ACCESS_TOKEN", kToken}});
  }

  std::string image() const {
    return (*world.kube.get(kDaemonSetPath))["spec"]["template"]["spec"]["containers"][0]["image"];
  }

  YAML::Node relay() const {
    return YAML::Load((*world.kube.get(kConfigMapPath))["data"]["relay.yaml"].get<std::string>());
  }
};

}  // namespace

TEST_SUITE("integration/collector upgrade") {
  TEST_CASE("upgrade --dry-run shows the image and the renamed components, writes nothing") {
    UpgradeWorld upgrade;
    const int writes = upgrade.world.kube.write_count();
    const auto result = upgrade.run({"collector", "upgrade", "--to", "v0.149.0", "--dry-run"});
    INFO(result.out, result.err);
    CHECK(result.exit_code == 0);
    CHECK(contains(result.out, "collector 0.147.0 -> 0.149.0"));
    CHECK(contains(result.out, "splunk-otel-collector:0.149.0"));
    CHECK(contains(result.out, "k8s_attributes"));
    CHECK(contains(result.out, "otlp_http"));
    CHECK(contains(result.out, "pin it: collector.version: 0.149.0"));
    CHECK(upgrade.world.kube.write_count() == writes);
  }

  TEST_CASE("upgrade: the new image, its component names, its pods ready") {
    UpgradeWorld upgrade;
    const auto result = upgrade.run({"collector", "upgrade", "--to", "0.149.0", "-o", "json"});
    INFO(result.out, result.err);
    CHECK(result.exit_code == 0);
    const Json document = Json::parse(result.out);
    CHECK(document["from"] == "0.147.0");
    CHECK(document["to"] == "0.149.0");
    CHECK(document["pinned"] == false);
    CHECK(upgrade.image().ends_with(":0.149.0"));
    const YAML::Node relay = upgrade.relay();
    CHECK(relay["processors"]["k8s_attributes"]);
    CHECK_FALSE(relay["processors"]["k8sattributes"]);
    CHECK(relay["exporters"]["otlp_http"]);
    CHECK(relay["service"]["pipelines"]["traces"]["exporters"][0].as<std::string>() == "otlp_http");
    REQUIRE(upgrade.world.kube.await_rollout(kDaemonSetPath));
  }

  TEST_CASE("upgrade whose pods crash: the previous image and config are put back") {
    UpgradeWorld upgrade;
    const std::string before = upgrade.image();
    upgrade.world.kube.set_pod_behaviour("otel-collector",
                                         PodBehaviour::crash_loop("unknown type: \"x\"", 1));
    const auto result = upgrade.run({"collector", "upgrade", "--to", "0.149.0"});
    INFO(result.out, result.err);
    CHECK(result.exit_code == 1);
    CHECK(contains(result.out, "the previous objects were put back"));
    CHECK(upgrade.image() == before);
    CHECK(upgrade.relay()["processors"]["k8sattributes"]);
  }

  TEST_CASE("upgrade refuses a release that is not pinned, and a collector not deployed") {
    UpgradeWorld upgrade;
    const auto latest = upgrade.run({"collector", "upgrade", "--to", "latest"});
    CHECK(latest.exit_code == 2);
    CHECK(contains(latest.err, "--to: 'latest' is not a pinned collector release"));
    ValidateWorld empty{ValidateWorld::Setup{.collector = false}};
    const auto missing = empty.run({"collector", "upgrade"}, {{"SPLUNK_ACCESS_TOKEN", kToken}});
    CHECK(missing.exit_code == 4);
    CHECK(contains(missing.err, "nothing to upgrade"));
  }
}

}  // namespace test_integration_collector_upgrade
