#include "actions/service_status.h"

#include <fmt/core.h>

#include "actions/originals.h"
#include "actions/services.h"
#include "core/parallel.h"
#include "instrument/change_origin.h"
#include "instrument/drift.h"
#include "instrument/operator_injection.h"
#include "instrument/owned.h"
#include "instrument/transform.h"
#include "rollout/pod_diagnosis.h"
#include "rollout/rollout.h"

namespace cxtm::actions {
namespace {

std::string state_name(instrument::State state) {
  switch (state) {
    case instrument::State::not_instrumented:
      return "not instrumented";
    case instrument::State::poc_partial:
      return "POC partial (env vars only)";
    case instrument::State::current:
      return "instrumented";
    case instrument::State::outdated:
      return "instrumented (outdated spec)";
  }
  return "unknown";
}

// Whether the Operator injected Python into one pod of a workload that asks it to: what the
// webhook leaves when it ran, and what it says nothing about when it did not (no Instrumentation
// then, or no webhook, or a pod older than the request).
std::string operator_injection_state(const Json& pod, const Json& workload) {
  const std::string name = string_member(member(pod, "metadata"), "name");
  const auto record = instrument::read_env_record(workload);
  const std::string app = record ? record->container : "";
  return instrument::pod_injected_by_operator(pod, app)
             ? name + ": injected by the Operator"
             : name +
                   ": not injected (no Instrumentation when it was created, or the Operator's "
                   "webhook did not run)";
}

// The installer's log lines read for its report: its summary is the last line.
constexpr int kInstallerLogLines = 20;

// Whether the pod's installer init container exited 0.
bool installer_completed(const Json& pod) {
  for (const Json& init : array_member(object_member(pod, "status"), "initContainerStatuses")) {
    if (init.value("name", "") != instrument::kInitContainerName) continue;
    return integer_member(member_at(init, {"state", "terminated"}), "exitCode", -1) == 0;
  }
  return false;
}

// The installer init container's state in one pod.
std::string installer_state(const Json& pod) {
  const std::string name = string_member(member(pod, "metadata"), "name");
  const Json& status = object_member(pod, "status");
  if (!status.contains("initContainerStatuses")) return name + ": not started";
  for (const Json& init : status["initContainerStatuses"]) {
    if (init.value("name", "") != instrument::kInitContainerName) continue;
    const Json& state = object_member(init, "state");
    if (state.contains("terminated")) {
      const int code = state["terminated"].value("exitCode", -1);
      return code == 0 ? name + ": packages installed"
                       : fmt::format("{}: installer exited {}", name, code);
    }
    if (state.contains("running")) return name + ": installing";
    if (state.contains("waiting"))
      return fmt::format("{}: {}", name, state["waiting"].value("reason", "waiting"));
  }
  return name + ": no installer";
}

// What the pod's installer says it put into the volume; nullopt when its log cannot be read.
std::optional<instrument::InstallerReport> read_volume(Context& context,
                                                       const std::string& namespace_,
                                                       const Json& pod) {
  try {
    return instrument::read_installer_log(
        context.kube.logs(namespace_, pod["metadata"].value("name", ""),
                          std::string(instrument::kInitContainerName), kInstallerLogLines, false));
  } catch (const Error&) {
    return std::nullopt;  // a pod gone since the list, or no right to read logs: not a failure
  }
}

}  // namespace

Json ServiceStatus::to_json() const {
  Json volume_json = nullptr;
  if (volume) {
    volume_json = {{"added", volume->added},
                   {"kept", volume->kept},
                   {"overrides", volume->overrides ? Json(*volume->overrides) : Json(nullptr)}};
  }
  return Json{{"service", service},
              {"deployment", deployment},
              {"found", found},
              {"state", state},
              {"toolVersion", tool_version},
              {"specHash", spec_hash},
              {"via", via},
              {"writer", writer},
              {"injector", injector},
              {"gitops", gitops},
              {"desired", desired},
              {"ready", ready},
              {"installer", installer},
              {"volume", volume_json},
              {"drift", drift},
              {"backup", {{"local", backup_local}, {"cluster", backup_cluster}}},
              {"error", error}};
}

std::vector<ServiceStatus> service_statuses(
    Context& context, BackupStores stores,
    const std::vector<const config::ServiceSettings*>& services) {
  read_in_bulk(context.config, context.kube, services, BulkRead::deployments_and_pods);
  read_originals_in_bulk(context.config, stores, services);
  std::vector<ServiceStatus> statuses(services.size());
  // The installer logs are read a kubectl each: the services side by side.
  for_each_parallel(services.size(), wave_width(0, services.size()), [&](size_t i) {
    const auto* service = services[i];
    const auto ref = workload_ref(context.config, *service);
    ServiceStatus status{.service = service->name, .deployment = ref.namespaced_name()};
    try {
      const auto deployment = context.kube.get(ref);
      status.found = deployment.has_value();
      const bool ours = deployment && instrument::instrumented_by_us(*deployment);
      if (deployment) {
        const auto spec = spec_for_workload(context.config, *service, *deployment, std::nullopt);
        status.state = state_name(instrument::detect_state(*deployment, spec));
        if (ours) status.injector = std::string(instrument::to_string(spec.injector));
        const Json& annotations = member_at(*deployment, {"metadata", "annotations"});
        status.tool_version = string_member(annotations, instrument::kAnnotationVersion);
        status.spec_hash = string_member(annotations, instrument::kAnnotationSpecHash);
        status.gitops = instrument::gitops_controller(*deployment);
        status.drift = instrument::instrumentation_drift(*deployment);
        const auto rollout = rollout::rollout_state(*deployment);
        status.desired = rollout.desired;
        status.ready = rollout.ready;
        if (ours) {
          // Pods on their way out (an earlier template's) say nothing of the installer now.
          for (const Json& pod : rollout::live_pods(
                   context.kube.list("pods", ref.namespace_, rollout::pod_selector(*deployment)))) {
            if (instrument::injected_by_operator(*deployment)) {
              status.installer.push_back(operator_injection_state(pod, *deployment));
              continue;
            }
            status.installer.push_back(installer_state(pod));
            if (!status.volume && installer_completed(pod)) {
              status.volume = read_volume(context, ref.namespace_, pod);
            }
          }
        }
      }
      for (auto [store, flag] : {std::pair{&stores.local, &status.backup_local},
                                 std::pair{&stores.cluster, &status.backup_cluster}}) {
        try {
          *flag = store->original(ref.namespace_, ref.name).has_value();
        } catch (const Error&) {
          *flag = false;  // present but unusable counts as absent here; rollback says why
        }
      }
      if (ours) {
        status.via = "cxtm-o11y";
        // A live instrument always leaves a backup; without one, ask who wrote the change (a
        // read each, only for these).
        if (!status.backup_local && !status.backup_cluster) {
          const auto origin =
              instrument::change_origin(*deployment, context.kube.managed_fields(ref));
          if (origin.via == instrument::ChangeVia::git) status.via = "git";
          status.writer = origin.writer;
        }
      }
    } catch (const Error& error) {
      status.error = error.what();
    }
    statuses[i] = std::move(status);
  });
  return statuses;
}

}  // namespace cxtm::actions
