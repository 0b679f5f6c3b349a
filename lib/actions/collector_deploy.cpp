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
// did not exist before. Newest first, so the DaemonSet goes back before its ConfigMap. An object
// that cannot be put back does not stop the others.
struct Undone {
  bool complete = true;
  std::string summary;  // for the message: done, or which objects stay as applied and what to run
};

Undone undo(Context& context, const std::vector<const PlannedObject*>& applied) {
  std::vector<std::string> failed;
  for (auto it = applied.rbegin(); it != applied.rend(); ++it) {
    const PlannedObject& object = **it;
    try {
      if (!object.live) {
        context.kube.remove(object.ref);
        context.reporter.note(fmt::format("{} deleted (undo)", display_name(object.ref)));
        continue;
      }
      const auto current = context.kube.get(object.ref);
      if (!current) continue;
      context.kube.replace(restorable(*object.live, *current));
      context.reporter.note(fmt::format("{} restored (undo)", display_name(object.ref)));
    } catch (const Error& error) {
      failed.push_back(error.what());
    }
  }
  if (failed.empty()) return {true, "the previous objects were put back"};
  std::string left;
  for (const auto& why : failed) left += (left.empty() ? "" : "; ") + why;
  return {false, fmt::format("putting back the previous objects FAILED for {} of {} ({}); run "
                             "`cxtm-o11y collector deploy` again, or `cxtm-o11y collector delete`",
                             failed.size(), applied.size(), left)};
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
    if (applied.empty()) throw;
    throw Error(error.code(), fmt::format("{}; {}", error.what(), undo(context, applied).summary));
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
    const Undone undone = undo(context, applied);
    result.rolled_back = undone.complete;
    result.message = fmt::format("{} {}: {}; {}", display_name(daemonset->ref), why,
                                 rollout.last.progress, undone.summary);
  } else {
    result.message =
        fmt::format("{} {}: {}", display_name(daemonset->ref), why, rollout.last.progress);
  }
  return result;
}

}  // namespace cxtm::actions
