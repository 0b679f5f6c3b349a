#include "actions/collector_deploy.h"

#include <fmt/core.h>

#include "actions/service_result.h"
#include "rollout/log_tails.h"
#include "rollout/unscheduled.h"

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

// The object as written by users: no status, no metadata the server keeps for itself.
Json content(Json object) {
  object.erase("status");
  if (object.contains("metadata") && object["metadata"].is_object()) {
    for (const char* key : {"managedFields", "resourceVersion", "uid", "creationTimestamp",
                            "generation", "selfLink"}) {
      object["metadata"].erase(key);
    }
  }
  return object;
}

// Writes previous back over what is there now. An answer lost on the way back is settled by
// reading the object again.
void put_back(Context& context, const kube::ObjectRef& ref, const Json& previous,
              const Json& current) {
  try {
    context.kube.replace(restorable(previous, current));
  } catch (const kube::KubeError& error) {
    if (error.kind() != kube::FailureKind::unknown) throw;
    const auto now = context.kube.get(ref);
    if (!now || !same_json(content(*now), content(restorable(previous, *now)))) throw;
  }
}

// What an undo achieved.
struct Undone {
  bool complete = true;
  std::string summary;  // for the message: done, or which objects stay as applied and what to run
};

// The order an undo puts objects back in. Pods read their ConfigMap and Secret when they start,
// so what they read goes back before the DaemonSet whose rollback starts them: a DaemonSet that
// is new goes first (no pod waits for what is deleted after it), then the previous ConfigMap,
// Secret and the rest, then the previous DaemonSet, then what else was new, newest first.
std::vector<const PlannedObject*> undo_order(const std::vector<const PlannedObject*>& applied) {
  std::vector<const PlannedObject*> order;
  const auto take = [&](auto wanted) {
    for (auto it = applied.rbegin(); it != applied.rend(); ++it) {
      if (wanted(**it)) order.push_back(*it);
    }
  };
  const auto workload = [](const PlannedObject& o) { return o.ref.kind == "DaemonSet"; };
  take([&](const PlannedObject& o) { return workload(o) && !o.live; });
  take([&](const PlannedObject& o) { return !workload(o) && o.live; });
  take([&](const PlannedObject& o) { return workload(o) && o.live; });
  take([&](const PlannedObject& o) { return !workload(o) && !o.live; });
  return order;
}

// Puts back what applied changed: the previous version of each object, or deletes it when it
// did not exist before. An object that cannot be put back does not stop the others.
Undone undo(Context& context, const std::vector<const PlannedObject*>& applied) {
  std::vector<std::string> failed;
  for (const PlannedObject* undone : undo_order(applied)) {
    const PlannedObject& object = *undone;
    try {
      if (!object.live) {
        context.kube.remove(object.ref);
        context.reporter.note(fmt::format("{} deleted (undo)", object.ref.resource_name()));
        continue;
      }
      const auto current = context.kube.get(object.ref);
      if (!current) continue;
      put_back(context, object.ref, *object.live, *current);
      context.reporter.note(fmt::format("{} restored (undo)", object.ref.resource_name()));
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

// Applies the changed objects: first what the pods read, in one kubectl run, then the DaemonSet
// that starts them, only once all of that landed. kubectl goes on past an object that fails, so
// every object of a run that landed (or may have) is recorded for the undo; the first failure
// is thrown.
void apply_all(Context& context, const CollectorPlan& plan,
               std::vector<const PlannedObject*>& applied) {
  std::vector<const PlannedObject*> read_by_pods;
  std::vector<const PlannedObject*> workloads;
  for (const auto& object : plan.objects) {
    if (object.change == Change::unchanged) continue;
    (object.ref.kind == "DaemonSet" ? workloads : read_by_pods).push_back(&object);
  }
  for (const auto* run : {&read_by_pods, &workloads}) {
    std::vector<Json> objects;
    for (const PlannedObject* object : *run) objects.push_back(object->desired);
    const auto outcomes = context.kube.apply_each(objects, kube::DryRun::none, kube::kFieldManager);
    for (size_t i = 0; i < outcomes.size(); ++i) {
      const PlannedObject& object = *(*run)[i];
      if (outcomes[i].stored) {
        applied.push_back(&object);
        context.reporter.note(
            fmt::format("{} {}", object.ref.resource_name(), change_name(object.change)));
        continue;
      }
      // It may have landed: the undo then has it to put back too.
      if (outcomes[i].failure->kind() == kube::FailureKind::unknown) applied.push_back(&object);
    }
    if (const kube::KubeError* failed = kube::first_failure(outcomes)) throw *failed;
  }
}

// A namespace still Terminating refuses new content (403): wait for it to be gone, within the
// command's timeout, saying so.
void wait_for_namespace_to_go(Context& context, const CollectorDeployOptions& options) {
  const std::string& name = context.config.collector.namespace_;
  const kube::ObjectRef ref{"v1", "Namespace", "", name};
  const auto start = context.time.now();
  while (true) {
    const auto live = context.kube.get(ref);
    if (!live || !object_member(*live, "metadata").contains("deletionTimestamp")) return;
    const auto waited = std::chrono::duration_cast<Duration>(context.time.now() - start);
    if (waited >= options.timeout) {
      throw Error(ExitCode::timeout,
                  fmt::format("namespace {} is still being deleted after {}; deploy again once "
                              "`kubectl get namespace {}` finds none",
                              name, format_duration(options.timeout), name));
    }
    context.reporter.progress(
        fmt::format("namespace {} is being deleted; waiting for it to go before the collector is "
                    "deployed into it anew ({})",
                    name, format_duration(waited)));
    if (options.interrupted && options.interrupted()) {
      throw Error(ExitCode::interrupted,
                  fmt::format("interrupted while waiting for namespace {} to go", name));
    }
    context.time.sleep_for(std::min<Duration>(options.poll_interval, options.timeout - waited));
  }
}

// Why the DaemonSet has no pods, and what to change: the user has no collector at all.
std::string scheduled_nowhere(Context& context, const kube::ObjectRef& daemon_set) {
  std::string why = "the cluster has no node for it";
  try {
    if (const auto live = context.kube.get(daemon_set)) {
      why = rollout::explain_unscheduled(context.kube, *live);
    }
  } catch (const kube::KubeError& error) {
    why = fmt::format("it could not be read back ({})", error.what());
  }
  return fmt::format("runs on no node: {} ({})", why, rollout::kCollectorPlacementRemedy);
}

}  // namespace

Json CollectorDeployResult::to_json() const {
  Json objects = Json::array();
  for (const auto& object : plan.objects) {
    objects.push_back({{"kind", object.ref.kind},
                       {"namespace", object.ref.namespace_},
                       {"name", object.ref.name},
                       {"change", change_name(object.change)},
                       {"diff", object.diff}});
  }
  return Json{{"dryRun", dry_run},
              {"changesPending", dry_run && plan.changes_anything()},
              {"objects", objects},
              {"rollout", rollout ? rollout_to_json(*rollout) : Json(nullptr)},
              {"logTails", log_tails},
              {"rolledBack", rolled_back},
              {"exitCode", static_cast<int>(code)},
              {"message", message}};
}

CollectorDeployResult deploy_collector(Context& context, const CollectorDeployOptions& options) {
  context.kube.limit_request_time(options.timeout);
  CollectorDeployResult result{.dry_run = options.dry_run,
                               .plan = plan_collector(context, {.adopt = options.adopt})};
  if (options.check_plan) options.check_plan(result.plan);
  if (options.dry_run) {
    result.message = result.plan.changes_anything() ? "dry run: nothing was changed"
                                                    : "dry run: the collector is up to date";
    if (result.plan.namespace_terminating) {
      result.message += fmt::format(
          " (namespace {} is being deleted: a deploy waits for it to "
          "go, then creates everything anew)",
          context.config.collector.namespace_);
    }
    return result;
  }
  if (result.plan.namespace_terminating) {
    wait_for_namespace_to_go(context, options);
    result.plan = plan_collector(context, {.adopt = options.adopt});
  }

  // The wait to come follows the DaemonSets and pods with one watch each, started now so that
  // it holds the apply's outcome by the time it looks.
  if (options.wait && find_daemonset(result.plan) != nullptr) {
    context.kube.read_in_bulk("DaemonSet", context.config.collector.namespace_, true);
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
                                              .interrupted = options.interrupted,
                                              .time = &context.time},
                                             context.reporter);
  const auto& rollout = *result.rollout;
  if (rollout.outcome == rollout::RolloutOutcome::unobserved) {
    // Not knowing is no reason to undo a collector that may well be running.
    result.code = rollout.read_error_code;
    result.message = fmt::format(
        "{} applied, but its rollout could not be followed: {} (follow it: cxtm-o11y collector "
        "status; wait again: cxtm-o11y collector deploy)",
        daemonset->ref.resource_name(), rollout.read_error);
    return result;
  }
  if (rollout.outcome == rollout::RolloutOutcome::complete) {
    const auto problem = options.verify ? options.verify() : std::nullopt;
    if (!problem) {
      result.message =
          fmt::format("{} ready: {}", daemonset->ref.resource_name(), rollout.last.progress);
      return result;
    }
    result.code = ExitCode::failed;
    if (options.rollback == RollbackOnFailure::yes && !applied.empty()) {
      const Undone undone = undo(context, applied);
      result.rolled_back = undone.complete;
      result.message = fmt::format("{} ready, but {}; {}", daemonset->ref.resource_name(), *problem,
                                   undone.summary);
    } else {
      result.message = fmt::format("{} ready, but {}", daemonset->ref.resource_name(), *problem);
    }
    return result;
  }
  result.log_tails =
      rollout::failing_container_logs(context.kube, daemonset->ref.namespace_, rollout.problems);
  result.code =
      rollout.outcome == rollout::RolloutOutcome::timed_out ? ExitCode::timeout : ExitCode::failed;
  std::string why = rollout.outcome == rollout::RolloutOutcome::timed_out
                        ? fmt::format("not ready after {}", format_duration(options.timeout))
                        : "pods are failing";
  if (rollout.last.scheduled_nowhere) why = scheduled_nowhere(context, daemonset->ref);
  if (options.rollback == RollbackOnFailure::yes && !applied.empty()) {
    const Undone undone = undo(context, applied);
    result.rolled_back = undone.complete;
    result.message = fmt::format("{} {}: {}; {}", daemonset->ref.resource_name(), why,
                                 rollout.last.progress, undone.summary);
  } else {
    result.message =
        fmt::format("{} {}: {}", daemonset->ref.resource_name(), why, rollout.last.progress);
  }
  return result;
}

}  // namespace cxtm::actions
