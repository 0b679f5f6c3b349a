#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "actions/render.h"
#include "config/config.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "lint/collector_lint.h"
#include "render/manifests.h"
#include "support/temp_dir.h"

namespace test_render_manifests {

using cxtm::Json;
using cxtm::render::render_manifests;

namespace {

cxtm::config::Config example() {
  return cxtm::config::load_config(CXTM_SOURCE_DIR "/examples/cxtm-poc.yaml");
}

const Json* find_kind(const cxtm::render::CollectorManifests& manifests, const std::string& kind) {
  for (const auto& object : manifests.objects) {
    if (object.object["kind"] == kind) return &object.object;
  }
  return nullptr;
}

std::set<std::string> kinds(const cxtm::render::CollectorManifests& manifests) {
  std::set<std::string> result;
  for (const auto& object : manifests.objects) result.insert(object.object["kind"]);
  return result;
}

}  // namespace

TEST_SUITE("render/manifests") {
  TEST_CASE("the example renders the collector's objects, without a Secret when no token") {
    const auto manifests = render_manifests(example(), std::nullopt);
    CHECK(kinds(manifests) == std::set<std::string>{"ServiceAccount", "ClusterRole",
                                                    "ClusterRoleBinding", "ConfigMap", "DaemonSet",
                                                    "Service"});
    const Json& daemonset = *find_kind(manifests, "DaemonSet");
    const Json& container = daemonset["spec"]["template"]["spec"]["containers"][0];
    CHECK(container["image"].get<std::string>().starts_with(
        "quay.io/signalfx/splunk-otel-collector:"));
    const Json& token_env = container["env"][0];
    CHECK(token_env["name"] == "SPLUNK_OBSERVABILITY_ACCESS_TOKEN");
    CHECK(token_env["valueFrom"]["secretKeyRef"]["name"] == "splunk-access-token");
    CHECK(token_env["valueFrom"]["secretKeyRef"]["key"] == "splunk_observability_access_token");
    CHECK(container["readinessProbe"]["httpGet"]["port"] == 13133);
    CHECK(container["livenessProbe"]["httpGet"]["port"] == 13133);
    CHECK(daemonset["spec"]["template"]["metadata"]["annotations"]["checksum/config"]
              .get<std::string>()
              .size() == 64);
    const Json& service = *find_kind(manifests, "Service");
    CHECK(service["metadata"]["name"] == "otel-collector");
    std::set<int> ports;
    for (const auto& port : service["spec"]["ports"]) ports.insert(port["port"].get<int>());
    CHECK(ports == std::set<int>{4317, 4318, 13133, 8888});
  }

  TEST_CASE("the token never reaches the ConfigMap, only the Secret") {
    const std::string token = "fakeCanaryToken-render-0123456789";
    const auto manifests = render_manifests(example(), token);
    const Json& secret = *find_kind(manifests, "Secret");
    CHECK(secret["data"]["splunk_observability_access_token"] ==
          "ZmFrZUNhbmFyeVRva2VuLXJlbmRlci0wMTIzNDU2Nzg5");
    for (const auto& object : manifests.objects) {
      if (object.object["kind"] == "Secret") continue;
      CHECK(object.object.dump().find(token) == std::string::npos);
    }
    CHECK(manifests.collector_config.find("${env:SPLUNK_OBSERVABILITY_ACCESS_TOKEN}") !=
          std::string::npos);
  }

  TEST_CASE("the collector config has memory_limiter first with check_interval") {
    const auto manifests = render_manifests(example(), std::nullopt);
    const YAML::Node config = YAML::Load(manifests.collector_config);
    CHECK(config["processors"]["memory_limiter"]["check_interval"].as<std::string>() == "2s");
    CHECK(config["processors"]["memory_limiter"]["limit_mib"].as<int>() == 450);  // 90% of 500Mi
    for (const auto& pipeline : config["service"]["pipelines"]) {
      CHECK(pipeline.second["processors"][0].as<std::string>() == "memory_limiter");
    }
    CHECK(config["exporters"]["otlphttp"]["traces_endpoint"].as<std::string>() ==
          "https://ingest.us1.observability.splunkcloud.com/v2/trace/otlp");
    CHECK_FALSE(config["exporters"]["sapm"]);
    CHECK_FALSE(config["service"]["pipelines"]["logs"]);
  }

  TEST_CASE("realm, host style and namespace change what they should") {
    auto config = cxtm::config::parse_config(
        "cluster: c\nnamespace: apps\nsplunk:\n  realm: eu0\n  host_style: splunkcloud\n"
        "collector:\n  namespace: observability\n",
        "c.yaml");
    const auto manifests = render_manifests(config, std::nullopt);
    const Json* ns = find_kind(manifests, "Namespace");
    REQUIRE(ns != nullptr);
    CHECK((*ns)["metadata"]["name"] == "observability");
    CHECK(manifests.objects.front().object["kind"] == "Namespace");
    const YAML::Node relay = YAML::Load(manifests.collector_config);
    CHECK(relay["exporters"]["otlphttp"]["traces_endpoint"].as<std::string>() ==
          "https://ingest.eu0.observability.splunkcloud.com/v2/trace/otlp");
    CHECK(relay["exporters"]["signalfx"]["api_url"].as<std::string>() ==
          "https://api.eu0.observability.splunkcloud.com");
  }

  TEST_CASE("a memory limit too small for the collector is a config error") {
    auto config = cxtm::config::parse_config(
        "cluster: c\nsplunk:\n  realm: us1\ncollector:\n  resources:\n    limits:\n      memory: "
        "64Mi\n",
        "c.yaml");
    CHECK_THROWS_WITH_AS(render_manifests(config, std::nullopt),
                         "c.yaml: collector.resources.limits.memory: 64Mi is too small; the "
                         "collector needs at least 128Mi",
                         cxtm::Error);
  }

  TEST_CASE("manifests/ is the committed render of the example and has not drifted") {
    // Regenerate with: cxtm-o11y -c examples/cxtm-poc.yaml render --output-dir manifests
    ::unsetenv("SPLUNK_ACCESS_TOKEN");  // the committed render carries no token Secret
    cxtm::testing::TempDir dir;
    const auto result = cxtm::actions::run_render(example(), {.output_dir = dir.path().string()});
    REQUIRE_FALSE(result.secret_rendered);
    std::set<std::string> committed;
    for (const auto& entry : std::filesystem::directory_iterator(CXTM_SOURCE_DIR "/manifests")) {
      committed.insert(entry.path().filename().string());
    }
    std::set<std::string> rendered;
    for (const auto& path : result.written) {
      const std::string name = path.filename().string();
      rendered.insert(name);
      CAPTURE(name);
      CHECK(cxtm::read_file(path) ==
            cxtm::read_file(std::filesystem::path(CXTM_SOURCE_DIR "/manifests") / name));
    }
    CHECK(committed == rendered);
  }

  TEST_CASE("a config value cannot make the collector expand a variable: every $ is escaped") {
    const auto config = cxtm::config::parse_config(
        "cluster: c\nenvironment: x${env:SPLUNK_OBSERVABILITY_ACCESS_TOKEN}-$HOME\n"
        "splunk:\n  realm: us1\n",
        "hostile.yaml");
    const auto manifests = render_manifests(config, std::nullopt);
    const std::string& text = manifests.collector_config;
    CHECK(text.find("x$${env:SPLUNK_OBSERVABILITY_ACCESS_TOKEN}") != std::string::npos);
    CHECK(text.find("-$$HOME") != std::string::npos);
    // What the template itself refers to stays a reference.
    CHECK(text.find("access_token: ${env:SPLUNK_OBSERVABILITY_ACCESS_TOKEN}") != std::string::npos);
    const auto findings = cxtm::lint::lint_collector_config(
        text, "rendered", cxtm::lint::LintOptions{.realm = "us1"});
    for (const auto& finding : findings) CHECK(finding.rule_id != "secret-reference");
  }
}

}  // namespace test_render_manifests
