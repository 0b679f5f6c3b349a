#include "validate/collector.h"

#include <fmt/core.h>
#include <yaml-cpp/yaml.h>

#include "core/yaml_syntax.h"
#include "lint/collector_lint.h"
#include "render/manifests.h"
#include "rollout/pod_diagnosis.h"
#include "rollout/rollout.h"
#include "rollout/unscheduled.h"

namespace cxtm::validate {
namespace {

constexpr size_t kShownFindings = 5;

struct PodRestarts {
  int restarts = 0;
  std::string last_reason;  // lastState.terminated.reason (OOMKilled, Error, ...)
  int last_exit_code = 0;
};

PodRestarts restarts_of(const Json& pod) {
  PodRestarts facts;
  for (const Json& container : array_member(object_member(pod, "status"), "containerStatuses")) {
    facts.restarts += container.value("restartCount", 0);
    if (const Json& terminated = member_at(container, {"lastState", "terminated"});
        terminated.is_object()) {
      facts.last_reason = terminated.value("reason", "");
      facts.last_exit_code = terminated.value("exitCode", 0);
    }
  }
  return facts;
}

void worsen(CheckResult& result, Status status, std::string remedy) {
  const auto rank = [](Status s) { return s == Status::fail ? 2 : s == Status::warn ? 1 : 0; };
  if (rank(status) > rank(result.status)) {
    result.status = status;
    result.remedy = std::move(remedy);
  } else if (result.remedy.empty() && status != Status::pass) {
    result.remedy = std::move(remedy);
  }
}

// Lints the live config; returns the summary part.
std::string lint_live_config(const std::string& relay_yaml, const std::string& where,
                             const config::Config& config, CheckResult& result) {
  const auto findings = lint::lint_collector_config(
      relay_yaml, where, lint::LintOptions{.realm = config.splunk.realm});
  int errors = 0;
  int warnings = 0;
  for (const auto& finding : findings) {
    (finding.severity == lint::Severity::error ? errors : warnings) += 1;
    if (result.details.size() < kShownFindings || finding.severity == lint::Severity::error) {
      result.details.push_back(lint::format_finding(finding));
    }
  }
  result.data["lint"] = {
      {"errors", errors}, {"warnings", warnings}, {"findings", lint::to_json(findings)}};
  if (errors > 0) {
    worsen(result, Status::fail,
           "fix the collector config (cxtm-o11y lint shows the same findings) and redeploy it: "
           "cxtm-o11y collector deploy");
    return fmt::format("live config has {} lint error{}", errors, errors == 1 ? "" : "s");
  }
  if (warnings > 0) {
    worsen(result, Status::warn, "see the lint warnings: cxtm-o11y lint");
    return fmt::format("live config lints with {} warning{}", warnings, warnings == 1 ? "" : "s");
  }
  return "live config lints clean";
}

}  // namespace

CollectorFacts check_collector(kube::KubeClient& kube, const config::Config& config,
                               CheckResult& result) {
  CollectorFacts facts;
  const auto& ns = config.collector.namespace_;
  const auto& name = config.collector.name;
  const kube::ObjectRef daemonset_ref{"apps/v1", "DaemonSet", ns, name};
  const auto daemonset = kube.get(daemonset_ref);
  if (!daemonset) {
    result.status = Status::fail;
    result.summary = daemonset_ref.describe() + " not found";
    result.remedy = "deploy the collector: cxtm-o11y collector deploy";
    return facts;
  }
  const Json& containers = member_at(*daemonset, {"spec", "template", "spec", "containers"});
  if (containers.is_array() && !containers.empty()) {
    facts.container = containers[0].value("name", "");
    if (containers[0].value("image", "") != config.collector_image()) {
      result.details.push_back(fmt::format("image {} differs from the pinned {}",
                                           containers[0].value("image", ""),
                                           config.collector_image()));
      worsen(result, Status::warn, "redeploy to run the pinned image: cxtm-o11y collector deploy");
    }
  }

  const auto state = rollout::rollout_state(*daemonset);
  Json pods = Json::array();
  int most_restarts = 0;
  // Pods on their way out (an update's old ones) are neither the collector nor its problem.
  for (const Json& pod :
       rollout::live_pods(kube.list("pods", ns, rollout::pod_selector(*daemonset)))) {
    const std::string pod_name = pod["metadata"].value("name", "");
    const bool ready = rollout::pod_ready(pod);
    const auto restarts = restarts_of(pod);
    const auto problem = rollout::diagnose_pod(pod);
    facts.pods.push_back(pod_name);
    if (ready) facts.ready_pods.push_back(pod_name);
    most_restarts = std::max(most_restarts, restarts.restarts);
    pods.push_back({{"name", pod_name},
                    {"ready", ready},
                    {"restarts", restarts.restarts},
                    {"lastTermination", restarts.last_reason},
                    {"problem", problem ? Json(problem->summary()) : Json(nullptr)}});
    if (problem) {
      result.details.push_back(problem->summary());
    } else if (restarts.restarts >= kRepeatedRestarts) {
      result.details.push_back(
          fmt::format("{}: {} restarts, last terminated {} (exit {})", pod_name, restarts.restarts,
                      restarts.last_reason.empty() ? "for an unknown reason" : restarts.last_reason,
                      restarts.last_exit_code));
    }
    if (restarts.restarts >= kRepeatedRestarts) {
      // Not ready and restarting: the crash loop itself. Ready again: it recovered, so far.
      worsen(
          result, ready ? Status::warn : Status::fail,
          restarts.last_reason == "OOMKilled"
              ? "the collector runs out of memory: raise collector.resources.limits.memory "
                "and redeploy"
              : fmt::format("see why it restarts: kubectl logs -n {} {} --previous", ns, pod_name));
    }
  }
  result.data["desired"] = state.desired;
  result.data["ready"] = state.ready;
  result.data["pods"] = pods;

  std::string pods_part = fmt::format(
      "{} {}/{} pods ready, {}", daemonset_ref.describe(), state.ready, state.desired,
      most_restarts == 0 ? "no restarts" : fmt::format("up to {} restarts", most_restarts));
  if (state.desired == 0) {
    result.details.push_back("no node runs the collector: " +
                             rollout::explain_unscheduled(kube, *daemonset));
    worsen(result, Status::fail, std::string(rollout::kCollectorPlacementRemedy));
  } else if (state.ready < state.desired) {
    worsen(result, Status::fail,
           fmt::format("see the pods' problems: kubectl describe pods -n {} -l {}", ns,
                       rollout::pod_selector(*daemonset)));
  }

  std::string config_part;
  const kube::ObjectRef configmap_ref{"v1", "ConfigMap", ns, name};
  const Json configmap = kube.get(configmap_ref).value_or(Json());
  const Json& relay_yaml = member_at(configmap, {"data", "relay.yaml"});
  if (!relay_yaml.is_string()) {
    worsen(result, Status::fail, "deploy the collector: cxtm-o11y collector deploy");
    config_part = configmap_ref.describe() + " with relay.yaml not found";
  } else {
    facts.relay_yaml = relay_yaml.get<std::string>();
    config_part = lint_live_config(facts.relay_yaml, fmt::format("configmap/{}/relay.yaml", name),
                                   config, result);
    if (facts.relay_yaml != render::render_collector_config(config)) {
      result.details.push_back("the live config differs from what collector deploy would apply");
      worsen(result, Status::warn, "apply the current config: cxtm-o11y collector deploy");
    }
  }
  result.summary = fmt::format("{}; {}", pods_part, config_part);
  return facts;
}

std::optional<std::set<std::string>> ready_collector_nodes(kube::KubeClient& kube,
                                                           const config::Config& config) {
  const auto& collector = config.collector;
  const auto daemonset = kube.get({"apps/v1", "DaemonSet", collector.namespace_, collector.name});
  if (!daemonset) return std::nullopt;
  std::set<std::string> nodes;
  for (const Json& pod : rollout::live_pods(
           kube.list("pods", collector.namespace_, rollout::pod_selector(*daemonset)))) {
    const std::string node = pod.value("/spec/nodeName"_json_pointer, "");
    if (!node.empty() && rollout::pod_ready(pod)) nodes.insert(node);
  }
  return nodes;
}

std::set<std::string> traces_exporters(const std::string& relay_yaml) {
  std::set<std::string> exporters;
  try {
    // Whoever may write ConfigMaps there may have written it: checked before yaml-cpp builds it.
    const YAML::Node root = check_yaml_text(relay_yaml) ? YAML::Node() : YAML::Load(relay_yaml);
    const YAML::Node pipelines = root["service"]["pipelines"];
    if (pipelines && pipelines.IsMap()) {
      for (const auto& pipeline : pipelines) {
        const std::string id = pipeline.first.as<std::string>();
        if (id != "traces" && !id.starts_with("traces/")) continue;
        const YAML::Node list = pipeline.second["exporters"];
        if (!list || !list.IsSequence()) continue;
        for (const auto& exporter : list) {
          const std::string name = exporter.as<std::string>();
          const std::string type = name.substr(0, name.find('/'));
          if (type != "signalfx" && type != "debug" && type != "nop" && type != "logging") {
            exporters.insert(name);
          }
        }
      }
    }
  } catch (const YAML::Exception&) {
    exporters.clear();
  }
  if (exporters.empty()) exporters.insert("otlphttp");
  return exporters;
}

}  // namespace cxtm::validate
