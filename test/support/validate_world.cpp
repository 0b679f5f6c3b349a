#include "support/validate_world.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <stdexcept>

#include "actions/services.h"
#include "instrument/transform.h"
#include "render/manifests.h"
#include "support/cli_runner.h"
#include "support/installer_log.h"

namespace cxtm::testing {
namespace {

constexpr const char* kIngestToken = kFakeIngestToken;

const char* kubectl_binary() {
  const char* chosen = std::getenv("CXTM_TEST_KUBECTL");
  return chosen != nullptr && *chosen != '\0' ? chosen : "kubectl";
}

Json scheduler_deployment() {
  const Json labels = {{"app.kubernetes.io/name", "scheduler"}};
  return Json{
      {"apiVersion", "apps/v1"},
      {"kind", "Deployment"},
      {"metadata", {{"name", "cxtm-scheduler"}, {"namespace", "default"}, {"labels", labels}}},
      {"spec",
       {{"replicas", 1},
        {"selector", {{"matchLabels", labels}}},
        {"template",
         {{"metadata", {{"labels", labels}}},
          {"spec",
           {{"containers",
             Json::array({{{"name", "scheduler"}, {"image", "python:3.12-slim"}}})}}}}}}}};
}

}  // namespace

ValidateWorld::ValidateWorld(Setup setup) {
  kubeconfig_ = kube.write_kubeconfig(dir.path());
  config_file_ = dir.write("cxtm-o11y.yaml",
                           "cluster: cxtm-test\n"
                           "environment: cxtm-test\n"
                           "splunk:\n"
                           "  realm: us1\n"
                           "state_dir: " +
                               (dir.path() / "state").string() +
                               "\n"
                               "services:\n"
                               "  scheduler:\n"
                               "    deployment: cxtm-scheduler\n"
                               "    selector: app.kubernetes.io/name=scheduler\n");
  config_ = config::load_config(config_file_);
  const auto& collector_settings = config_.collector;
  const std::string& ns = collector_settings.namespace_;

  kube.set_pod_behaviour(collector_settings.name, setup.collector_pods);
  kube.set_pod_behaviour("cxtm-scheduler", setup.service_pods);
  if (setup.collector) {
    for (auto object : render::render_manifests(config_, std::string(kIngestToken)).objects) {
      if (!setup.relay_yaml.empty() && object.object.value("kind", "") == "ConfigMap") {
        object.object["data"]["relay.yaml"] = setup.relay_yaml;
      }
      try {
        kube.put_object(object.object);
      } catch (const std::invalid_argument&) {
        // Cluster-wide RBAC kinds the double does not serve; validate does not read them.
      }
    }
  }
  for (int port : {collector_settings.health_port, collector_settings.otlp_http_port}) {
    kube.map_service_proxy(ns, collector_settings.name, port, collector.port());
  }
  kube.map_pod_proxy(ns, collector_settings.name, collector_settings.metrics_port,
                     collector.port());

  Json deployment = scheduler_deployment();
  if (setup.service_instrumented) {
    const auto* service = config_.find_service("scheduler");
    deployment = instrument::instrument_deployment(deployment, actions::spec_for(config_, *service),
                                                   CXTM_VERSION)
                     .deployment;
  }
  deployment["status"] = Json::object();  // what the API server stores for a new object
  kube.put_object(deployment);
  // The pods whose logs are set below, once the controllers have made them.
  const bool pods_made = kube.wait_until([&] {
    return !pods("cxtm-scheduler").empty() &&
           (!setup.collector || !pods(collector_settings.name).empty());
  });
  REQUIRE_MESSAGE(pods_made, "the scheduler's or the collector's pods were never created");

  set_collector_logs(
      "2025-01-01T10:00:00.000Z\tinfo\tservice@v0.147.0/service.go:199\tEverything is ready. "
      "Begin running and processing data.\n");
  set_installer_logs(std::string(kInstallerLog));

  // What the collector accepts reaches "Splunk", where it is found on the second look.
  collector.on_accepted([this](const Json& request) {
    std::string trace_id;
    std::vector<std::string> services;
    for (const Json& resource : request["resourceSpans"]) {
      for (const Json& attribute : resource["resource"]["attributes"]) {
        if (attribute["key"] == "service.name") {
          services.push_back(attribute["value"]["stringValue"].get<std::string>());
        }
      }
      trace_id = resource["scopeSpans"][0]["spans"][0]["traceId"].get<std::string>();
    }
    splunk.ingest(trace_id, services, 1);
  });
  if (setup.service_spans) splunk.report_services({"cxtm-scheduler"});
  splunk.accept_ingest_token(kIngestToken);
}

kube::ProcessResult ValidateWorld::run(const std::vector<std::string>& arguments,
                                       std::map<std::string, std::string> env) const {
  std::vector<std::string> argv = {"-c",           config_file_.string(),
                                   "--kubeconfig", kubeconfig_.string(),
                                   "--kubectl",    kubectl_binary()};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  env.emplace("CXTM_O11Y_SPLUNK_API_URL", splunk.url());
  env.emplace("CXTM_O11Y_SPLUNK_INGEST_URL", splunk.url());
  env.emplace("SPLUNK_API_TOKEN", kFakeApiToken);
  env.emplace("HOME", dir.path().string());  // kubectl's discovery cache stays in here
  return run_cli(argv, env);
}

kube::ProcessResult ValidateWorld::validate(const std::vector<std::string>& arguments,
                                            std::map<std::string, std::string> env) const {
  std::vector<std::string> argv = {"validate"};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return run(argv, std::move(env));
}

std::vector<std::string> ValidateWorld::pods(const std::string& prefix) const {
  std::vector<std::string> names;
  for (const Json& pod : kube.list("/api/v1/namespaces/default/pods")) {
    const std::string name = pod["metadata"].value("name", "");
    if (name.starts_with(prefix + "-")) names.push_back(name);
  }
  return names;
}

void ValidateWorld::set_collector_logs(const std::string& text) {
  for (const auto& pod : pods(config_.collector.name)) {
    kube.set_log(config_.collector.namespace_, pod, "otel-collector", text);
  }
}

void ValidateWorld::set_app_logs(const std::string& text) {
  for (const auto& pod : pods("cxtm-scheduler")) kube.set_log("default", pod, "scheduler", text);
}

void ValidateWorld::set_installer_logs(const std::string& text) {
  for (const auto& pod : pods("cxtm-scheduler")) {
    kube.set_log("default", pod, std::string(instrument::kInitContainerName), text);
  }
}

ValidateRun validate_json(const ValidateWorld& world, std::vector<std::string> arguments,
                          std::map<std::string, std::string> env) {
  arguments.insert(arguments.begin(), {"-o", "json"});
  const auto result = world.validate(arguments, std::move(env));
  const Json report = Json::parse(result.out, nullptr, false);
  INFO("stdout: " << result.out << "\nstderr: " << result.err);
  REQUIRE_FALSE(report.is_discarded());
  return {result.exit_code, report, result.err};
}

Json check(const Json& report, const std::string& id) {
  // value(), not operator[]: a const Json's operator[] on a missing key aborts the whole binary.
  Json found;
  if (report.is_object()) {
    for (const Json& c : report.value("checks", Json::array())) {
      if (c.is_object() && c.value("id", "") == id) found = c;
    }
  }
  REQUIRE_MESSAGE(!found.is_null(), "no check " << id << " in " << report.dump());
  return found;
}

std::string status(const Json& report, const std::string& id) {
  return check(report, id)["status"].get<std::string>();
}

bool json_contains(const Json& text, const std::string& part) {
  return text.is_string() && text.get<std::string>().find(part) != std::string::npos;
}

bool any_detail(const Json& check, const std::string& part) {
  for (const Json& detail : check["details"]) {
    if (json_contains(detail, part)) return true;
  }
  return false;
}

}  // namespace cxtm::testing
