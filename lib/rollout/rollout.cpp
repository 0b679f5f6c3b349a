#include "rollout/rollout.h"

#include <fmt/core.h>

#include <algorithm>

#include "core/error.h"
#include "rollout/pod_diagnosis.h"
#include "rollout/template_pods.h"

namespace cxtm::rollout {
namespace {

std::optional<std::string> deadline_exceeded(const Json& status) {
  const Json& conditions = member(status, "conditions");
  if (!conditions.is_array()) return std::nullopt;
  for (const Json& condition : conditions) {
    if (!condition.is_object() || condition.value("type", "") != "Progressing") continue;
    if (condition.value("status", "") == "False" &&
        condition.value("reason", "") == "ProgressDeadlineExceeded") {
      return condition.value("message", "ProgressDeadlineExceeded");
    }
  }
  return std::nullopt;
}

// The pods of the workload's current template, not on their way out; nullopt while the
// controller has not made that template's ReplicaSet yet.
std::optional<std::vector<Json>> current_pods(kube::KubeClient& kube,
                                              const kube::ObjectRef& workload, const Json& object,
                                              std::optional<PodLabel>& label) {
  if (!label) {
    if (workload.kind == "DaemonSet") {
      label = daemonset_template_label(object);
    } else if (workload.kind == "StatefulSet") {
      label = statefulset_template_label(object);
      if (!label) return std::nullopt;
    } else {
      label = deployment_template_label(
          object, kube.list("replicasets.apps", workload.namespace_, pod_selector(object)));
    }
  }
  if (!label && workload.kind != "DaemonSet") return std::nullopt;
  return live_pods(kube.list("pods", workload.namespace_, pod_selector(object, label)));
}

}  // namespace

RolloutState rollout_state(const Json& workload, std::optional<int> current_ready) {
  const Json& status = member(workload, "status");
  const Json& metadata = member(workload, "metadata");
  const Json& spec = member(workload, "spec");
  RolloutState state;
  state.observed = integer_member<int>(status, "observedGeneration") >=
                   integer_member<int>(metadata, "generation");
  if (workload.value("kind", "") == "DaemonSet") {
    state.desired = integer_member<int>(status, "desiredNumberScheduled");
    state.updated = integer_member<int>(status, "updatedNumberScheduled");
    state.ready = current_ready.value_or(integer_member<int>(status, "numberReady"));
    state.available = integer_member<int>(status, "numberAvailable");
    state.old = std::max(0, integer_member<int>(status, "currentNumberScheduled") - state.updated);
    state.scheduled_nowhere = state.observed && state.desired == 0;
    state.complete = state.observed && !state.scheduled_nowhere && state.updated == state.desired &&
                     state.available == state.desired;
  } else if (workload.value("kind", "") == "StatefulSet") {
    // As kubectl rollout status: every replica ready and of the update revision.
    state.desired = integer_member(spec, "replicas", 1);
    state.updated = integer_member<int>(status, "updatedReplicas");
    state.ready = current_ready.value_or(integer_member<int>(status, "readyReplicas"));
    state.available = integer_member<int>(status, "availableReplicas");
    state.old = std::max(0, integer_member<int>(status, "replicas") - state.updated);
    const bool on_delete = string_member(member(spec, "updateStrategy"), "type") == "OnDelete";
    state.complete =
        state.observed && state.ready == state.desired &&
        (on_delete || (state.updated == state.desired &&
                       member(status, "currentRevision") == member(status, "updateRevision")));
  } else {
    state.desired = integer_member(spec, "replicas", 1);
    state.updated = integer_member<int>(status, "updatedReplicas");
    state.ready = current_ready.value_or(integer_member<int>(status, "readyReplicas"));
    state.available = integer_member<int>(status, "availableReplicas");
    // Pods of earlier templates are still counted in status.replicas until they are deleted.
    const int total = integer_member<int>(status, "replicas");
    state.old = std::max(0, total - state.updated);
    state.complete = state.observed && state.updated == state.desired &&
                     state.available == state.desired && total == state.desired;
    if (state.observed) state.deadline_exceeded = deadline_exceeded(status);
  }
  if (!state.observed) {
    state.progress = "waiting for the controller to see the new spec";
    return state;
  }
  state.progress = fmt::format("{}/{} pods ready, {}/{} updated", state.ready, state.desired,
                               state.updated, state.desired);
  if (state.old > 0) state.progress += fmt::format(", {} old", state.old);
  if (state.scheduled_nowhere) state.progress += " (no node to run on)";
  return state;
}

std::vector<std::string> delete_halted_pods(kube::KubeClient& kube, const kube::ObjectRef& workload,
                                            const Json& before) {
  if (workload.kind != "StatefulSet") return {};
  const auto revision = statefulset_template_label(before);
  if (!revision) return {};
  std::vector<std::string> deleted;
  for (const Json& pod :
       live_pods(kube.list("pods", workload.namespace_, pod_selector(before, revision)))) {
    if (pod_ready(pod)) continue;
    const std::string name = string_member(member(pod, "metadata"), "name");
    if (kube.remove({"v1", "Pod", workload.namespace_, name})) deleted.push_back(name);
  }
  return deleted;
}

std::string RolloutResult::cause() const {
  if (!problems.empty()) return problems.front().summary();
  if (last.deadline_exceeded) return "ProgressDeadlineExceeded: " + *last.deadline_exceeded;
  if (last.scheduled_nowhere) return "scheduled on no node";
  if (outcome == RolloutOutcome::unobserved) return read_error;
  return last.progress;
}

RolloutResult wait_for_rollout(kube::KubeClient& kube, const kube::ObjectRef& workload,
                               const WaitOptions& options, print::Reporter& reporter) {
  const auto start = options.time->now();
  const std::string label = workload.kind_name();
  RolloutResult result;
  std::optional<PodLabel> template_label;
  long long labelled_generation = -1;
  while (true) {
    std::string line;
    try {
      const auto object = kube.get(workload);
      result.waited = std::chrono::duration_cast<Duration>(options.time->now() - start);
      if (!object) {
        result.outcome = RolloutOutcome::gone;
        return result;
      }
      const long long generation = integer_member(member(*object, "metadata"), "generation");
      if (generation != labelled_generation) template_label.reset();
      labelled_generation = generation;
      result.last = rollout_state(*object);
      result.problems.clear();
      result.read_error.clear();
      if (result.last.observed && !result.last.complete) {
        if (const auto pods = current_pods(kube, workload, *object, template_label)) {
          for (const Json& pod : *pods) {
            if (auto problem = diagnose_pod(pod)) result.problems.push_back(std::move(*problem));
          }
          const int ready = static_cast<int>(std::count_if(pods->begin(), pods->end(), pod_ready));
          result.last = rollout_state(*object, ready);
        }
      }
      line =
          fmt::format("{}: {} ({})", label, result.last.progress, format_duration(result.waited));
      if (!result.problems.empty()) line += "; " + result.problems.front().reason;
    } catch (const kube::KubeError& error) {
      // A read that failed in passing: the rollout goes on regardless; look again.
      if (!error.retriable()) throw;
      result.waited = std::chrono::duration_cast<Duration>(options.time->now() - start);
      result.read_error = error.what();
      result.read_error_code = error.code();
      line = fmt::format("{}: could not read ({}); trying again ({})", label, error.what(),
                         format_duration(result.waited));
    }
    reporter.progress(line);
    if (result.read_error.empty()) {
      if (result.last.complete) {
        result.outcome = RolloutOutcome::complete;
        return result;
      }
      const bool definite = std::any_of(result.problems.begin(), result.problems.end(),
                                        [](const PodProblem& p) { return p.definite; });
      if (definite || result.last.deadline_exceeded || result.last.scheduled_nowhere) {
        result.outcome = RolloutOutcome::failed;
        return result;
      }
    }
    if (result.waited >= options.timeout) {
      result.outcome =
          result.read_error.empty() ? RolloutOutcome::timed_out : RolloutOutcome::unobserved;
      return result;
    }
    if (options.interrupted && options.interrupted()) {
      throw Error(ExitCode::interrupted, fmt::format("interrupted while waiting for {}", label));
    }
    kube.await_change(workload,
                      std::min<Duration>(options.poll_interval, options.timeout - result.waited));
  }
}

}  // namespace cxtm::rollout
