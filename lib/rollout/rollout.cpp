#include "rollout/rollout.h"

#include <fmt/core.h>

#include <algorithm>
#include <thread>

#include "core/error.h"

namespace cxtm::rollout {
namespace {

int number(const Json& object, std::string_view key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_number() ? found->get<int>() : 0;
}

std::vector<PodProblem> pod_problems(kube::KubeClient& kube, const kube::ObjectRef& workload,
                                     const Json& object) {
  std::vector<PodProblem> problems;
  for (const Json& pod : kube.list("pods", workload.namespace_, pod_selector(object))) {
    if (auto problem = diagnose_pod(pod)) problems.push_back(std::move(*problem));
  }
  return problems;
}

}  // namespace

RolloutState rollout_state(const Json& workload) {
  const Json& status = workload.contains("status") ? workload["status"] : Json::object();
  const Json& metadata = workload["metadata"];
  RolloutState state;
  state.observed = number(status, "observedGeneration") >= number(metadata, "generation");
  if (workload.value("kind", "") == "DaemonSet") {
    state.desired = number(status, "desiredNumberScheduled");
    state.updated = number(status, "updatedNumberScheduled");
    state.ready = number(status, "numberReady");
    state.available = number(status, "numberAvailable");
  } else {
    const Json& spec = workload["spec"];
    state.desired = spec.contains("replicas") ? number(spec, "replicas") : 1;
    state.updated = number(status, "updatedReplicas");
    state.ready = number(status, "readyReplicas");
    state.available = number(status, "availableReplicas");
    // Old pods still counted in status.replicas mean the rollout is not over.
    const int total = number(status, "replicas");
    state.complete = state.observed && state.updated == state.desired &&
                     state.available == state.desired && total == state.desired;
  }
  if (workload.value("kind", "") == "DaemonSet") {
    state.complete =
        state.observed && state.updated == state.desired && state.available == state.desired;
  }
  state.progress = state.observed ? fmt::format("{}/{} pods ready, {}/{} updated", state.ready,
                                                state.desired, state.updated, state.desired)
                                  : "waiting for the controller to see the new spec";
  return state;
}

std::string pod_selector(const Json& workload) {
  std::string selector;
  const Json& labels = workload["spec"]["selector"]["matchLabels"];
  if (!labels.is_object()) return selector;
  for (const auto& [key, value] : labels.items()) {
    if (!selector.empty()) selector += ',';
    selector += key + "=" + value.get<std::string>();
  }
  return selector;
}

RolloutResult wait_for_rollout(kube::KubeClient& kube, const kube::ObjectRef& workload,
                               const WaitOptions& options, print::Reporter& reporter) {
  const auto start = std::chrono::steady_clock::now();
  const std::string label = fmt::format("{}/{}", workload.kind, workload.name);
  RolloutResult result;
  while (true) {
    const auto object = kube.get(workload);
    result.waited = std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - start);
    if (!object) {
      result.outcome = RolloutOutcome::gone;
      return result;
    }
    result.last = rollout_state(*object);
    if (result.last.complete) {
      result.outcome = RolloutOutcome::complete;
      reporter.progress(
          fmt::format("{}: {} ({})", label, result.last.progress, format_duration(result.waited)));
      return result;
    }
    result.problems = pod_problems(kube, workload, *object);
    const bool definite = std::any_of(result.problems.begin(), result.problems.end(),
                                      [](const PodProblem& p) { return p.definite; });
    std::string line =
        fmt::format("{}: {} ({})", label, result.last.progress, format_duration(result.waited));
    if (!result.problems.empty()) line += "; " + result.problems.front().reason;
    reporter.progress(line);
    if (definite) {
      result.outcome = RolloutOutcome::failed;
      return result;
    }
    if (result.waited >= options.timeout) {
      result.outcome = RolloutOutcome::timed_out;
      return result;
    }
    if (options.interrupted && options.interrupted()) {
      throw Error(ExitCode::interrupted, fmt::format("interrupted while waiting for {}", label));
    }
    std::this_thread::sleep_for(
        std::min<Duration>(options.poll_interval, options.timeout - result.waited));
  }
}

}  // namespace cxtm::rollout
