#include "validate/operator_service.h"

#include <fmt/core.h>
#include <fmt/format.h>

#include <map>
#include <vector>

#include "instrument/object_edit.h"
#include "instrument/operator_injection.h"
#include "instrument/owned.h"
#include "rollout/pod_diagnosis.h"
#include "rollout/rollout.h"
#include "rollout/unscheduled.h"

namespace cxtm::validate {
namespace {

using instrument::find_named;
using instrument::npos;

std::string env_of(const Json& pod, std::string_view container, std::string_view name) {
  const Json& containers = member(member(pod, "spec"), "containers");
  const size_t at = find_named(containers, container);
  if (at == npos) return "";
  const Json& env = member(containers[at], "env");
  const size_t entry = find_named(env, name);
  return entry == npos ? "" : string_member(env[entry], "value");
}

// The tool's Instrumentation as the config wants it; false (with the finding) when it is not.
bool check_instrumentation(kube::KubeClient& kube, const kube::ObjectRef& ref,
                           const instrument::InstrumentationSpec& spec, Verdict& verdict) {
  const Json desired = instrument::instrumentation_resource(spec, ref.namespace_);
  const auto instrumentation = kube::ObjectRef::of(desired);
  const auto live = kube.get(instrumentation);
  const std::string rerun =
      "run: cxtm-o11y instrument --via operator (it writes the Instrumentation)";
  if (!live) {
    verdict.fail(fmt::format("no {}: new pods start uninstrumented", instrumentation.describe()),
                 rerun);
    return false;
  }
  if (!json_covers(*live, desired)) {
    verdict.fail(
        fmt::format(
            "{} differs from the config's (exporter {}, image "
            "{})",
            instrumentation.describe(),
            string_member(object_member(object_member(*live, "spec"), "exporter"), "endpoint"),
            string_member(object_member(object_member(*live, "spec"), "python"), "image")),
        rerun);
    return false;
  }
  return true;
}

}  // namespace

void check_operator_injection(kube::KubeClient& kube, const kube::ObjectRef& ref,
                              const Json& workload, const instrument::InstrumentationSpec& spec,
                              const std::optional<std::set<std::string>>& collector_nodes,
                              Verdict& verdict) {
  CheckResult& result = verdict.result;
  result.data["injector"] = "operator";
  const bool instrumentation_ok = check_instrumentation(kube, ref, spec, verdict);
  const auto record = instrument::read_env_record(workload);
  const std::string app = record ? record->container : "";
  const std::string restart = fmt::format(
      "check the Operator's webhook (kubectl get mutatingwebhookconfigurations) and the "
      "Instrumentation, then recreate the pods: kubectl rollout restart -n {} {}",
      ref.namespace_, ref.kubectl_name());
  int current = 0;
  int injected = 0;
  int ready = 0;
  std::map<std::string, std::vector<std::string>> uncovered;  // node -> its pods
  Json pods = Json::array();
  for (const Json& pod : kube.list("pods", ref.namespace_, rollout::pod_selector(workload))) {
    const Json& metadata = member(pod, "metadata");
    // The pods of the template that asks the Operator; older ones are on their way out.
    if (!member(metadata, "deletionTimestamp").is_null() ||
        string_member(member(metadata, "annotations"), instrument::kAnnotationInjectPython)
            .empty()) {
      continue;
    }
    ++current;
    const std::string name = string_member(metadata, "name");
    const std::string node = string_member(member(pod, "spec"), "nodeName");
    const bool was_injected = instrument::pod_injected_by_operator(pod, app);
    const Json* status = container_status(pod, "containerStatuses", app);
    const bool app_ready = status != nullptr && status->value("ready", false);
    pods.push_back(
        {{"name", name}, {"node", node}, {"injected", was_injected}, {"appReady", app_ready}});
    if (collector_nodes && !node.empty() && !collector_nodes->contains(node)) {
      uncovered[node].push_back(name);
    }
    if (!was_injected) {
      verdict.fail(fmt::format("{}: not injected by the Operator (no {} init container): it runs "
                               "untraced",
                               name, instrument::kOperatorInitContainer),
                   restart);
      continue;
    }
    ++injected;
    if (const std::string endpoint = env_of(pod, app, "OTEL_EXPORTER_OTLP_ENDPOINT");
        endpoint != spec.otlp_endpoint) {
      verdict.fail(fmt::format("{}: exports to {}, not to the collector ({}): the container's own "
                               "OTEL_EXPORTER_OTLP_ENDPOINT wins over the Instrumentation's",
                               name, endpoint.empty() ? "nowhere" : endpoint, spec.otlp_endpoint),
                   "take OTEL_EXPORTER_OTLP_ENDPOINT out of the container's env");
    }
    if (app_ready) {
      ++ready;
    } else if (status != nullptr) {
      const auto problem = rollout::diagnose_pod(pod);
      verdict.fail(
          fmt::format("{}: the app container {} is not Ready{}", name, app,
                      problem ? ": " + problem->summary() : ""),
          fmt::format("see the app's log: kubectl logs -n {} {} -c {}", ref.namespace_, name, app));
    }
  }
  result.data["pods"] = pods;
  fail_uncovered_nodes(verdict, uncovered);
  if (current == 0) {
    verdict.fail("no pod runs the pod template that asks the Operator yet",
                 fmt::format("wait for the rollout: kubectl rollout status -n {} {}",
                             ref.namespace_, ref.kubectl_name()));
  }
  result.summary = fmt::format(
      "injected by the OpenTelemetry Operator{}; {}/{} pods injected, "
      "{} ready",
      instrumentation_ok ? "" : " (Instrumentation not as configured)", injected, current, ready);
}

}  // namespace cxtm::validate
