#include "actions/collector_deploy.h"

#include <fmt/core.h>

#include "rollout/log_tails.h"

namespace cxtm::actions {
namespace {

// The object as it was, made fit to be written back over what is there now.
Json restorable(Json previous, const Json& current) {
  previous.erase("status");
  Json& metadata = previous["metadata"];
  metadata.erase("managedFields");
  metadata.erase("uid");
  metadata.erase("creationTimestamp");
  metadata.erase("generation");
  metadata["resourceVersion"] = current["metadata"].value("resourceVersion", "");
  return previous;
}

// Puts back what applied changed: the previous version of each object, or deletes it when it
// did not exist before. Newest first, so the DaemonSet goes back before its ConfigMap.
void undo(Context& context, const std::vector<const PlannedObject*>& applied) {
  for (auto it = applied.rbegin(); it != applied.rend(); ++it) {
    const PlannedObject& object = **it;
    if (!object.live) {
      context.kube.remove(object.ref);
      context.reporter.note(fmt::format("{} deleted (undo)", display_name(object.ref)));
      continue;
    }
    const auto current = context.kube.get(object.ref);
    if (!current) continue;
    context.kube.replace(restorable(*object.live, *current));
    context.reporter.note(fmt::format("{} restored (undo)", display_name(object.ref)));
  }
}

const PlannedObject* find_daemonset(const CollectorPlan& plan) {
  for (const auto& object : plan.objects) {
    if (object.ref.kind == "DaemonSet") return &object;
  }
  return nullptr;
}

void apply_all(Context& context, const CollectorPlan& plan,
               std::vector<const PlannedObject*>& applied) {
  for (const auto& object : plan.objects) {
    if (object.change == Change::unchanged) continue;
    context.kube.apply(object.desired, kube::DryRun::none);
    applied.push_back(&object);
    context.reporter.note(
        fmt::format("{} {}", display_name(object.ref), change_name(object.change)));
  }
}

}  // namespace

CollectorDeployResult deploy_collector(Context& context, const CollectorDeployOptions& options) {
  context.kube.limit_request_time(options.timeout);
  CollectorDeployResult result{.plan = plan_collector(context)};
  if (options.dry_run) {
    result.message = result.plan.changes_anything() ? "dry run: nothing was changed"
                                                    : "dry run: the collector is up to date";
    return result;
  }

  std::vector<const PlannedObject*> applied;
  try {
    apply_all(context, result.plan, applied);
  } catch (const Error& error) {
    undo(context, applied);
    throw Error(error.code(),
                fmt::format("{} (the objects applied before were put back)", error.what()));
  }

  const PlannedObject* daemonset = find_daemonset(result.plan);
  if (!options.wait || daemonset == nullptr) {
    result.message = applied.empty()
                         ? "the collector is up to date (no change)"
                         : fmt::format("applied {} objects; not waiting", applied.size());
    return result;
  }
  result.rollout = rollout::wait_for_rollout(context.kube, daemonset->ref,
                                             {.timeout = options.timeout,
                                              .poll_interval = options.poll_interval,
                                              .interrupted = options.interrupted},
                                             context.reporter);
  const auto& rollout = *result.rollout;
  if (rollout.outcome == rollout::RolloutOutcome::complete) {
    result.message =
        fmt::format("{} ready: {}", display_name(daemonset->ref), rollout.last.progress);
    return result;
  }
  result.log_tails =
      rollout::failing_container_logs(context.kube, daemonset->ref.namespace_, rollout.problems);
  result.code =
      rollout.outcome == rollout::RolloutOutcome::timed_out ? ExitCode::timeout : ExitCode::failed;
  const std::string why = rollout.outcome == rollout::RolloutOutcome::timed_out
                              ? fmt::format("not ready after {}", format_duration(options.timeout))
                              : "pods are failing";
  if (options.rollback == RollbackOnFailure::yes && !applied.empty()) {
    undo(context, applied);
    result.rolled_back = true;
    result.message = fmt::format("{} {}: {}; the previous objects were put back",
                                 display_name(daemonset->ref), why, rollout.last.progress);
  } else {
    result.message =
        fmt::format("{} {}: {}", display_name(daemonset->ref), why, rollout.last.progress);
  }
  return result;
}

}  // namespace cxtm::actions
