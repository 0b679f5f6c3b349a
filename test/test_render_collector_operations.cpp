// The collector as Splunk's chart runs it (issue 18): host identity from the node, the node's
// root filesystem, the k8s attributes and environment on every span, component names that
// follow the pinned version, and a pod template that changes with the token.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "config/access_token.h"
#include "config/collector_version.h"
#include "config/config.h"
#include "core/error.h"
#include "fixtures/collector_resource_model.h"
#include "lint/collector_lint.h"
#include "render/manifests.h"
#include "support/config_errors.h"

namespace test_render_collector_operations {

using cxtm::Json;
using cxtm::config::parse_collector_version;
using cxtm::render::render_manifests;
using cxtm::testing::CollectorPodFacts;
using cxtm::testing::resource_after_pipeline;
using cxtm::testing::SenderPodFacts;

namespace {

cxtm::config::Config config_with(const std::string& extra = "") {
  return cxtm::config::parse_config(
      "cluster: cxtm-poc\nenvironment: staging\nsplunk:\n  realm: us1\n" + extra, "c.yaml");
}

Json daemon_set_of(const cxtm::render::CollectorManifests& manifests) {
  for (const auto& object : manifests.objects) {
    if (object.object["kind"] == "DaemonSet") return object.object;
  }
  FAIL("no DaemonSet rendered");
  return {};
}

const CollectorPodFacts kCollectorPod{.pod_name = "otel-collector-x7k2p",
                                      .namespace_ = "default",
                                      .node_name = "node-1",
                                      .node_hostname = "node-1"};

const SenderPodFacts kScheduler{
    .ip = "10.244.1.17",
    .metadata = {{"k8s.namespace.name", "default"},
                 {"k8s.node.name", "node-1"},
                 {"k8s.pod.name", "cxtm-scheduler-7d9f8c6b5-abcde"},
                 {"k8s.pod.uid", "0d6c1c1e-5a55-4d8b-9b7e-1f0c9a1d2e3f"},
                 {"k8s.deployment.name", "cxtm-scheduler"},
                 {"k8s.replicaset.name", "cxtm-scheduler-7d9f8c6b5"},
                 {"container.image.name", "registry.example/cxtm-scheduler"}}};

// What the Python SDK in the scheduler's pod puts on its spans' resource.
cxtm::testing::ResourceAttributes scheduler_span() {
  return {{"service.name", "cxtm-scheduler"},
          {"host.name", "cxtm-scheduler-7d9f8c6b5-abcde"},
          {"telemetry.sdk.language", "python"}};
}

std::string processor_ids(const YAML::Node& relay) {
  std::string ids;
  for (const auto& entry : relay["processors"]) ids += entry.first.as<std::string>() + " ";
  for (const auto& entry : relay["exporters"]) ids += entry.first.as<std::string>() + " ";
  return ids;
}

}  // namespace

TEST_SUITE("render/collector operations") {
  TEST_CASE("a span's resource names the node as its host, with the cluster's k8s attributes") {
    const auto manifests = render_manifests(config_with(), std::nullopt);
    const auto resource =
        resource_after_pipeline(manifests.collector_config, "traces", daemon_set_of(manifests),
                                kCollectorPod, kScheduler, scheduler_span());
    CHECK(resource.at("host.name") == "node-1");  // not the app's pod, not the collector's
    CHECK(resource.at("k8s.node.name") == "node-1");
    CHECK(resource.at("k8s.cluster.name") == "cxtm-poc");
    CHECK(resource.at("deployment.environment") == "staging");
    CHECK(resource.at("deployment.environment.name") == "staging");
    CHECK(resource.at("k8s.deployment.name") == "cxtm-scheduler");
    CHECK(resource.at("k8s.replicaset.name") == "cxtm-scheduler-7d9f8c6b5");
    CHECK(resource.at("k8s.pod.name") == "cxtm-scheduler-7d9f8c6b5-abcde");
    CHECK(resource.at("service.name") == "cxtm-scheduler");
    // The metrics pipeline names the same host, so APM and infrastructure meet on it.
    const auto metric =
        resource_after_pipeline(manifests.collector_config, "metrics", daemon_set_of(manifests),
                                kCollectorPod, kScheduler, {});
    CHECK(metric.at("host.name") == resource.at("host.name"));
  }

  TEST_CASE("without hostNetwork the same span would name the collector pod as its host") {
    const auto manifests = render_manifests(config_with(), std::nullopt);
    Json daemon_set = daemon_set_of(manifests);
    daemon_set["spec"]["template"]["spec"].erase("hostNetwork");
    const auto resource = resource_after_pipeline(manifests.collector_config, "traces", daemon_set,
                                                  kCollectorPod, kScheduler, scheduler_span());
    CHECK(resource.at("host.name") == "otel-collector-x7k2p");
  }

  TEST_CASE("in the node's network: every port is the node's, and cluster DNS still answers") {
    const Json daemon_set = daemon_set_of(render_manifests(config_with(), std::nullopt));
    const Json& pod = daemon_set["spec"]["template"]["spec"];
    CHECK(pod["hostNetwork"] == true);
    CHECK(pod["dnsPolicy"] == "ClusterFirstWithHostNet");
    const Json& ports = pod["containers"][0]["ports"];
    REQUIRE(ports.size() == 4);
    for (const Json& port : ports) {
      CAPTURE(port.dump());
      CHECK(port["hostPort"] == port["containerPort"]);  // the API server requires it
    }
    // One pod per node at a time: a surge would put two on the same node ports.
    CHECK_FALSE(daemon_set["spec"]["updateStrategy"]["rollingUpdate"].contains("maxSurge"));
  }

  TEST_CASE("the filesystem scraper reads the node's root only, through a read-only /hostfs") {
    const auto manifests = render_manifests(config_with(), std::nullopt);
    const YAML::Node relay = YAML::Load(manifests.collector_config);
    const YAML::Node hostmetrics = relay["receivers"]["hostmetrics"];
    CHECK(hostmetrics["root_path"].as<std::string>() == "/hostfs");
    const YAML::Node include = hostmetrics["scrapers"]["filesystem"]["include_mount_points"];
    CHECK(include["match_type"].as<std::string>() == "strict");
    REQUIRE(include["mount_points"].size() == 1);
    CHECK(include["mount_points"][0].as<std::string>() == "/");
    const Json daemon_set = daemon_set_of(manifests);
    const Json& pod = daemon_set["spec"]["template"]["spec"];
    bool mounted = false;
    for (const Json& mount : pod["containers"][0]["volumeMounts"]) {
      if (mount["mountPath"] != "/hostfs") continue;
      mounted = true;
      CHECK(mount["readOnly"] == true);
      for (const Json& volume : pod["volumes"]) {
        if (volume["name"] == mount["name"]) CHECK(volume["hostPath"]["path"] == "/");
      }
    }
    CHECK(mounted);
  }

  TEST_CASE("component names follow the pinned version, and lint knows each version's names") {
    const auto old_config = config_with("collector:\n  version: 0.147.0\n");
    const auto new_config = config_with("collector:\n  version: 0.149.0\n");
    const std::string old_relay = render_manifests(old_config, std::nullopt).collector_config;
    const std::string new_relay = render_manifests(new_config, std::nullopt).collector_config;
    const std::string old_ids = processor_ids(YAML::Load(old_relay));
    const std::string new_ids = processor_ids(YAML::Load(new_relay));
    CHECK(old_ids.find("k8sattributes ") != std::string::npos);
    CHECK(old_ids.find("otlphttp ") != std::string::npos);
    CHECK(new_ids.find("k8s_attributes ") != std::string::npos);
    CHECK(new_ids.find("otlp_http ") != std::string::npos);
    CHECK(new_relay.find("k8sattributes") == std::string::npos);
    CHECK(new_relay.find("otlphttp") == std::string::npos);

    using cxtm::lint::lint_collector_config;
    const auto v147 = parse_collector_version("0.147.0");
    const auto v149 = parse_collector_version("v0.149.0");
    CHECK(lint_collector_config(old_relay, "r", {.collector_version = v147}).empty());
    CHECK(lint_collector_config(new_relay, "r", {.collector_version = v149}).empty());
    // The old names on the new version: still started, deprecated; the new on the old: refused.
    const auto stale = lint_collector_config(old_relay, "r", {.collector_version = v149});
    REQUIRE(stale.size() == 2);
    for (const auto& finding : stale) {
      CHECK(finding.rule_id == "deprecated-component");
      CHECK(finding.severity == cxtm::lint::Severity::warning);
    }
    const auto early = lint_collector_config(new_relay, "r", {.collector_version = v147});
    REQUIRE(early.size() == 2);
    for (const auto& finding : early) {
      CHECK(finding.rule_id == "component-too-new");
      CHECK(finding.severity == cxtm::lint::Severity::error);
    }
    // The resource model reads the new names the same way.
    const auto manifests = render_manifests(new_config, std::nullopt);
    CHECK(resource_after_pipeline(new_relay, "traces", daemon_set_of(manifests), kCollectorPod,
                                  kScheduler, scheduler_span())
              .at("k8s.deployment.name") == "cxtm-scheduler");
  }

  TEST_CASE("versions: pinned releases only, compared as numbers") {
    CHECK(parse_collector_version("0.147.0") < parse_collector_version("0.149.0"));
    CHECK(parse_collector_version("0.99.0") < parse_collector_version("0.100.0"));
    CHECK(parse_collector_version("v1.2.3") == parse_collector_version("1.2.3"));
    for (const char* bad : {"latest", "0.147", "0.147.0-rc1", "01.2.3", "", "0..1"}) {
      CAPTURE(bad);
      CHECK_FALSE(parse_collector_version(bad));
    }
    CHECK(cxtm::testing::config_error("cluster: c\nsplunk:\n  realm: us1\ncollector:\n  "
                                      "version: latest\n")
              .find("collector.version: 'latest' is not a pinned collector release") !=
          std::string::npos);
  }

  TEST_CASE("checksum/secret: a digest of the token, changes with it, absent when unknown") {
    const auto config = config_with();
    const auto annotations = [&](const std::optional<std::string>& token,
                                 const std::optional<std::string>& live = {}) {
      return daemon_set_of(
          render_manifests(config, token, live))["spec"]["template"]["metadata"]["annotations"];
    };
    const Json first = annotations(std::string("token-one-0123456789"));
    const Json second = annotations(std::string("token-two-0123456789"));
    REQUIRE(first.contains("checksum/secret"));
    CHECK(first["checksum/secret"] != second["checksum/secret"]);
    CHECK(first["checksum/config"] == second["checksum/config"]);
    CHECK(first.dump().find("token-one") == std::string::npos);
    CHECK_FALSE(annotations(std::nullopt).contains("checksum/secret"));
    // The same digest from the Secret as the cluster holds it (base64 data).
    CHECK(annotations(std::nullopt, cxtm::render::token_checksum_of_base64(
                                        "dG9rZW4tb25lLTAxMjM0NTY3ODk="))["checksum/secret"] ==
          first["checksum/secret"]);
  }

  TEST_CASE("host styles: Splunk's current hosts by default, the classic ones when asked") {
    CHECK(config_with().endpoints().ingest == "https://ingest.us1.observability.splunkcloud.com");
    CHECK(config_with().endpoints().api == "https://api.us1.observability.splunkcloud.com");
    const auto classic = cxtm::config::parse_config(
        "cluster: c\nsplunk:\n  realm: us1\n  host_style: classic\n", "c.yaml");
    CHECK(classic.endpoints().ingest == "https://ingest.us1.signalfx.com");
  }

  TEST_CASE("an external Secret: the token variable is never read, nor the Secret rendered") {
    ::setenv("CXTM_TEST_EXTERNAL_TOKEN", "token-from-env-0123456789", 1);
    const auto config =
        config_with("  access_token:\n    env: CXTM_TEST_EXTERNAL_TOKEN\n    external: true\n");
    CHECK(config.splunk.access_token.external);
    CHECK_FALSE(cxtm::config::access_token_from_env(config));
    CHECK(std::getenv("CXTM_TEST_EXTERNAL_TOKEN") != nullptr);  // left where it was
    ::unsetenv("CXTM_TEST_EXTERNAL_TOKEN");
  }
}

}  // namespace test_render_collector_operations
