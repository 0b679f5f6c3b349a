#include "validate/service.h"

#include <fmt/core.h>
#include <fmt/format.h>

#include <map>

#include "core/error.h"
#include "core/redact.h"
#include "instrument/env_merge.h"
#include "instrument/installer_report.h"
#include "instrument/object_edit.h"
#include "instrument/owned.h"
#include "instrument/python_runtime.h"
#include "instrument/transform.h"
#include "rollout/pod_diagnosis.h"
#include "rollout/rollout.h"
#include "rollout/unscheduled.h"
#include "validate/app_log_scan.h"
#include "validate/log_time.h"
#include "validate/operator_service.h"
#include "validate/startup_report.h"
#include "validate/verdict.h"

namespace cxtm::validate {
namespace {

using instrument::find_named;
using instrument::member;
using instrument::npos;
using instrument::string_member;

constexpr int kLogLines = 20;
// How much of the app's log is read from its start: the start-up lines are there.
constexpr int kAppLogHeadBytes = 64 * 1024;
// A log whose first line came this long after its container started no longer starts there:
// the kubelet rotated it (apps print as they start).
constexpr auto kRotatedAfter = std::chrono::minutes(1);

std::string env_value(const Json& container, std::string_view name) {
  const Json& env = member(container, "env");
  const size_t at = find_named(env, name);
  return at == npos ? "" : string_member(env[at], "value");
}

// The Deployment's own parts: env of the app container, its mount, the volume, the installer.
void check_template(const Json& deployment, const instrument::InstrumentationSpec& spec,
                    const std::string& instrument_command, Verdict& verdict,
                    std::string& app_container) {
  const Json& pod = member_at(deployment, {"spec", "template", "spec"});
  const auto record = instrument::read_env_record(deployment);
  app_container = record ? record->container : instrument::pick_container(deployment, spec);
  const Json& containers = member(pod, "containers");
  const size_t app = find_named(containers, app_container);
  if (app == npos) {
    verdict.fail(fmt::format("the app container {} is gone from the pod template", app_container),
                 instrument_command);
    return;
  }
  const Json& container = containers[app];
  const std::string endpoint = env_value(container, "OTEL_EXPORTER_OTLP_ENDPOINT");
  if (endpoint != spec.otlp_endpoint) {
    verdict.fail(fmt::format("OTEL_EXPORTER_OTLP_ENDPOINT is \"{}\", not the collector's {}",
                             endpoint, spec.otlp_endpoint),
                 instrument_command);
  }
  const std::string service_name = env_value(container, "OTEL_SERVICE_NAME");
  if (service_name != spec.service_name) {
    verdict.warn(fmt::format("OTEL_SERVICE_NAME is \"{}\", the config says \"{}\"", service_name,
                             spec.service_name),
                 instrument_command);
  }
  if (!instrument::pythonpath_has_ours(env_value(container, instrument::kEnvPythonPath))) {
    verdict.fail("PYTHONPATH does not lead to the instrumentation's sitecustomize",
                 instrument_command);
  }
  bool mounted = false;
  for (const Json& mount : member(container, "volumeMounts")) {
    mounted = mounted || (string_member(mount, "name") == instrument::kVolumeName &&
                          string_member(mount, "mountPath") == instrument::kMountPath);
  }
  if (!mounted) {
    verdict.fail(fmt::format("the app container does not mount {} at {}", instrument::kVolumeName,
                             instrument::kMountPath),
                 instrument_command);
  }
  if (find_named(member(pod, "volumes"), instrument::kVolumeName) == npos ||
      find_named(member(pod, "initContainers"), instrument::kInitContainerName) == npos) {
    verdict.fail(fmt::format("the pod template lacks the {} volume or init container",
                             instrument::kVolumeName),
                 instrument_command);
  }
}

std::string log_tail(kube::KubeClient& kube, const std::string& ns, const std::string& pod,
                     bool previous) {
  try {
    return redact(
        kube.logs(ns, pod, std::string(instrument::kInitContainerName), kLogLines, previous));
  } catch (const Error& error) {
    return fmt::format("(log not readable: {})", error.what());
  }
}

// Whether a container has run: its log has something to say.
bool started(const Json& status) {
  const Json& state = member(status, "state");
  return state.contains("running") || state.contains("terminated");
}

// How long after the running container started the log's first line was written, when that
// is over kRotatedAfter: the head is not the container's start any more.
std::optional<std::chrono::seconds> rotated_by(const TimestampedLog& head, const Json& app_status) {
  const auto started_at =
      parse_rfc3339(string_member(member(member(app_status, "state"), "running"), "startedAt"));
  if (!started_at || !head.first_line || *head.first_line <= *started_at + kRotatedAfter) {
    return std::nullopt;
  }
  return std::chrono::duration_cast<std::chrono::seconds>(*head.first_line - *started_at);
}

// The app's log from its start: each Python process the instrumentation starts in says so in
// one line (startup_report.h), and no line may show that it failed (app_log_scan.h). A log that
// cannot be read (no pods/log right) is a warning: nothing is proven either way.
// Returns whether tracing started in every process that reported, and at least one did.
bool check_app_log(kube::KubeClient& kube, const kube::ObjectRef& ref, const std::string& pod,
                   const Json& app_status, const std::string& endpoint,
                   const std::vector<std::string>& untraced, Verdict& verdict, Json& facts,
                   std::set<std::string>& instrumented) {
  const std::string container = string_member(app_status, "name");
  TimestampedLog head;
  try {
    head =
        strip_timestamps(redact(kube.log_head(ref.namespace_, pod, container, kAppLogHeadBytes)));
  } catch (const Error& error) {
    verdict.warn(fmt::format("{}: the app's log cannot be read: {}", pod, error.what()),
                 "grant get on pods/log to see whether the instrumentation started");
    return false;
  }
  const std::string& log = head.text;
  // The lines that name a cause first: the first failure's remedy is the check's.
  for (const auto& finding : scan_app_log(log)) {
    verdict.fail(
        fmt::format("{}: the app's log says: {}{}", pod, finding.line,
                    finding.count > 1 ? fmt::format(" ({} such lines)", finding.count) : ""),
        finding.remedy);
  }
  const auto reports = read_startup_reports(log);
  facts["tracing"] = Json::array();
  for (const auto& report : reports) facts["tracing"].push_back(to_json(report));
  if (const auto late = rotated_by(head, app_status); late && reports.empty()) {
    verdict.warn(fmt::format("{}: the app's log no longer starts where the container did (its "
                             "first line is from {}s after the start: the kubelet rotated it), so "
                             "the start-up report is gone and nothing is proven",
                             pod, late->count()),
                 fmt::format("restart the pods to see the report again: kubectl rollout restart "
                             "-n {} {}, then validate",
                             ref.namespace_, ref.short_name()));
    return false;
  }
  for (const auto& finding : judge_startup(reports, endpoint, untraced)) {
    const std::string detail = fmt::format("{}: {}", pod, finding.detail);
    if (finding.fails) {
      verdict.fail(detail, finding.remedy);
    } else {
      verdict.warn(detail, finding.remedy);
    }
  }
  bool all_started = !reports.empty();
  for (const auto& report : reports) {
    all_started = all_started && report.started;
    instrumented.insert(report.instrumented.begin(), report.instrumented.end());
  }
  return all_started;
}

// The traps in how the app starts that leave it untraced whatever its log says.
std::vector<std::string> untraced_traps(const Json& deployment, const std::string& container) {
  const Json& containers = member_at(deployment, {"spec", "template", "spec", "containers"});
  const size_t at = find_named(containers, container);
  if (at == npos) return {};
  return instrument::python_runtime(containers[at], fmt::format("container {}", container))
      .untraced;
}

}  // namespace

void check_service(kube::KubeClient& kube, const kube::ObjectRef& ref,
                   const instrument::InstrumentationSpec& spec, const std::string& service,
                   const std::optional<std::set<std::string>>& collector_nodes,
                   CheckResult& result) {
  const std::string instrument_command = fmt::format("run: cxtm-o11y instrument {}", service);
  Verdict verdict{result};
  const auto deployment = kube.get(ref);
  if (!deployment) {
    result.status = Status::fail;
    result.summary = ref.describe() + " not found";
    result.remedy =
        fmt::format("check services.{}.deployment in the config and the namespace (-n)", service);
    return;
  }
  const auto state = instrument::detect_state(*deployment, spec);
  result.data["deployment"] = ref.namespaced_name();
  if (state == instrument::State::not_instrumented || state == instrument::State::poc_partial) {
    result.status = Status::fail;
    result.summary = state == instrument::State::poc_partial
                         ? "only the POC's environment variables; no installer, no packages"
                         : "not instrumented (no cxtm-o11y marker)";
    result.remedy = instrument_command;
    result.data["state"] =
        state == instrument::State::poc_partial ? "poc-partial" : "not-instrumented";
    return;
  }
  result.data["state"] = state == instrument::State::current ? "current" : "outdated";
  if (state == instrument::State::outdated) {
    verdict.warn("instrumented with another spec than the config's now", instrument_command);
  }
  if (spec.injector == instrument::Injector::operator_) {
    check_operator_injection(kube, ref, *deployment, spec, collector_nodes, verdict);
    return;
  }
  std::string app_container;
  check_template(*deployment, spec, instrument_command, verdict, app_container);
  const auto untraced = untraced_traps(*deployment, app_container);
  for (const auto& trap : untraced) {
    verdict.fail(trap, fmt::format("change how the app starts as said (kubectl edit -n {} "
                                   "{}); its new pods then start traced",
                                   ref.namespace_, ref.short_name()));
  }

  int current = 0;
  int ready = 0;
  std::map<std::string, std::vector<std::string>> uncovered;  // node -> its pods
  int logs_read = 0;
  int app_logs_read = 0;
  int traced_pods = 0;                 // of those, the pods whose every process started tracing
  std::set<std::string> instrumented;  // the instrumentors they loaded
  size_t most_packages = 0;
  bool zero_overrides_reported = false;  // an installer said the volume overrides nothing
  bool overrides_found = false;          // one said it overrides some of the app's
  Json pods = Json::array();
  for (const Json& pod : kube.list("pods", ref.namespace_, rollout::pod_selector(*deployment))) {
    const Json& spec_of_pod = member(pod, "spec");
    // Pods of the instrumented template only; pods of older ReplicaSets are on their way out.
    if (!member(member(pod, "metadata"), "deletionTimestamp").is_null() ||
        find_named(member(spec_of_pod, "initContainers"), instrument::kInitContainerName) == npos) {
      continue;
    }
    ++current;
    const std::string name = string_member(member(pod, "metadata"), "name");
    const std::string node = string_member(spec_of_pod, "nodeName");
    Json facts = {{"name", name}, {"node", node}};
    if (collector_nodes && !node.empty() && !collector_nodes->contains(node)) {
      uncovered[node].push_back(name);
    }
    const Json* init =
        container_status(pod, "initContainerStatuses", instrument::kInitContainerName);
    const Json terminated = init ? member(member(*init, "state"), "terminated") : Json();
    const int restarts = init ? init->value("restartCount", 0) : 0;
    if (terminated.is_object() && terminated.value("exitCode", -1) == 0) {
      facts["installer"] = "exited 0";
      if (logs_read < kPodLogsRead) {
        ++logs_read;
        const auto report =
            instrument::read_installer_log(log_tail(kube, ref.namespace_, name, false));
        most_packages = std::max(most_packages, report.added.size());
        facts["packagesInstalled"] = report.added.size();
        if (report.overrides) facts["overridesOfApp"] = *report.overrides;
        zero_overrides_reported = zero_overrides_reported || report.overrides == 0;
        if (report.overrides.value_or(0) > 0) {
          overrides_found = true;
          verdict.fail(fmt::format("{}: the installer's volume overrides {} of the app's own "
                                   "distributions",
                                   name, *report.overrides),
                       fmt::format("read it: kubectl logs -n {} {} -c {}", ref.namespace_, name,
                                   instrument::kInitContainerName));
        }
        if (report.added.empty()) {
          verdict.warn(fmt::format("{}: the installer's log does not show what it added "
                                   "(its \"cxtm-o11y installer: added\" line)",
                                   name),
                       fmt::format("read it: kubectl logs -n {} {} -c {}", ref.namespace_, name,
                                   instrument::kInitContainerName));
        }
      }
    } else {
      const auto problem = rollout::diagnose_pod(pod);
      const Json last = init ? member(member(*init, "lastState"), "terminated") : Json();
      const Json waiting = init ? member(member(*init, "state"), "waiting") : Json();
      std::string how = "has not finished";
      if (terminated.is_object()) {
        how = fmt::format("exited {}", terminated.value("exitCode", -1));
      } else if (last.is_object()) {
        how = fmt::format("exited {} ({}, {} restarts)", last.value("exitCode", -1),
                          waiting.is_object() ? waiting.value("reason", "waiting") : "restarting",
                          restarts);
      } else if (problem && problem->init_container) {
        how = problem->reason;
      }
      facts["installer"] = how;
      std::string detail = fmt::format("{}: the installer {}", name, how);
      const std::string tail = log_tail(kube, ref.namespace_, name, restarts > 0);
      if (!tail.empty()) detail += "; its log ends:\n" + tail;
      verdict.fail(detail,
                   "fix what the installer's log shows (a package index the pod cannot "
                   "reach: set instrumentation.index_url; no python3 in the image: set "
                   "instrumentation.init_image), then run instrument again");
    }
    const Json* app = container_status(pod, "containerStatuses", app_container);
    const bool app_ready = app != nullptr && app->value("ready", false);
    facts["appReady"] = app_ready;
    if (app_logs_read < kPodLogsRead && app != nullptr && started(*app)) {
      ++app_logs_read;
      if (check_app_log(kube, ref, name, *app, spec.otlp_endpoint, untraced, verdict, facts,
                        instrumented)) {
        ++traced_pods;
      }
    }
    if (app_ready) {
      ++ready;
    } else if (terminated.is_object() && terminated.value("exitCode", -1) == 0) {
      const auto problem = rollout::diagnose_pod(pod);
      verdict.fail(fmt::format("{}: the app container {} is not Ready{}", name, app_container,
                               problem ? ": " + problem->summary() : ""),
                   fmt::format("see the app's log: kubectl logs -n {} {} -c {}", ref.namespace_,
                               name, app_container));
    }
    pods.push_back(std::move(facts));
  }
  result.data["pods"] = pods;
  fail_uncovered_nodes(verdict, uncovered);
  if (current == 0) {
    verdict.fail("no pod runs the instrumented pod template yet",
                 fmt::format("wait for the rollout: kubectl rollout status -n {} {}",
                             ref.namespace_, ref.short_name()));
  }
  result.summary = fmt::format(
      "{}; {}/{} pods of the instrumented template ready{}{}",
      state == instrument::State::current ? "instrumented with the config's spec"
                                          : "instrumented (outdated spec)",
      ready, current,
      most_packages > 0
          ? fmt::format(
                "; installer added {} distributions{}", most_packages,
                zero_overrides_reported && !overrides_found ? ", none of the app's overridden" : "")
          : "",
      app_logs_read > 0
          ? fmt::format(
                "; tracing started in {}/{} app logs read{}", traced_pods, app_logs_read,
                instrumented.empty() ? "" : fmt::format(" ({})", fmt::join(instrumented, ", ")))
          : "");
}

}  // namespace cxtm::validate
