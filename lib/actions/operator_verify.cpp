#include "actions/operator_verify.h"

#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "instrument/operator_injection.h"
#include "rollout/rollout.h"
#include "rollout/template_pods.h"

namespace cxtm::actions {
namespace {

constexpr std::array<Duration, 3> kPauses = {std::chrono::seconds(1), std::chrono::seconds(2),
                                             std::chrono::seconds(4)};

struct Look {
  int current = 0;  // live pods of the template that asks the Operator
  std::vector<std::string> skipped;
};

// The live pods of the workload's template; `deleted`: pods this run deleted, on their way out
// even while a read (a watch's cache a moment behind) still shows them without their
// deletionTimestamp.
Look look(kube::KubeClient& kube, const kube::ObjectRef& ref, const Json& workload,
          const std::string& app, const std::vector<std::string>& deleted) {
  Look seen;
  for (const Json& pod :
       rollout::live_pods(kube.list("pods", ref.namespace_, rollout::pod_selector(workload)))) {
    const Json& metadata = member(pod, "metadata");
    if (string_member(member(metadata, "annotations"), instrument::kAnnotationInjectPython)
            .empty()) {
      continue;  // an earlier template's, on its way out
    }
    if (std::find(deleted.begin(), deleted.end(), string_member(metadata, "name")) !=
        deleted.end()) {
      continue;
    }
    ++seen.current;
    if (!instrument::pod_injected_by_operator(pod, app)) {
      seen.skipped.push_back(string_member(metadata, "name"));
    }
  }
  return seen;
}

void wait_for_replacements(kube::KubeClient& kube, TimeSource& time, const kube::ObjectRef& ref,
                           const std::string& app, const InjectionWait& wait,
                           const std::vector<std::string>& deleted) {
  const auto deadline = time.now() + wait.budget;
  while (time.now() < deadline && !(wait.interrupted && wait.interrupted())) {
    const auto workload = kube.get(ref);
    if (!workload) return;
    if (look(kube, ref, *workload, app, deleted).current >=
        rollout::rollout_state(*workload).desired) {
      return;
    }
    kube.await_change(ref, wait.poll_interval);
  }
}

}  // namespace

InjectionCheck verify_operator_injection(Context& context, const kube::ObjectRef& ref,
                                         const std::string& app, const InjectionWait& wait) {
  InjectionCheck check;
  for (size_t attempt = 0;; ++attempt) {
    const auto workload = context.kube.get(ref);
    if (!workload) throw Error(ExitCode::not_found, fmt::format("{} is gone", ref.describe()));
    const Look seen = look(context.kube, ref, *workload, app, check.replaced);
    check.skipped = seen.skipped;
    // A workload scaled to zero has nothing to inject yet; any other needs its pods seen.
    check.injected = seen.skipped.empty() &&
                     (seen.current > 0 || rollout::rollout_state(*workload).desired == 0);
    if (check.injected || attempt == kPauses.size()) return check;
    if (wait.interrupted && wait.interrupted()) return check;
    context.reporter.note(
        fmt::format("{}: the Operator did not inject {}; replacing them in {}s (its cache may lag)",
                    ref.describe(), fmt::join(seen.skipped, ", "),
                    std::chrono::duration_cast<std::chrono::seconds>(kPauses[attempt]).count()));
    context.time.sleep_for(kPauses[attempt]);
    for (const auto& pod : seen.skipped) {
      context.kube.remove({"v1", "Pod", ref.namespace_, pod});
      check.replaced.push_back(pod);
    }
    const auto rolled = rollout::wait_for_rollout(context.kube, ref,
                                                  {.timeout = wait.budget,
                                                   .poll_interval = wait.poll_interval,
                                                   .interrupted = wait.interrupted,
                                                   .time = &context.time},
                                                  context.reporter);
    if (rolled.outcome != rollout::RolloutOutcome::complete) {
      const auto now = context.kube.get(ref);
      check.skipped =
          now ? look(context.kube, ref, *now, app, check.replaced).skipped : check.skipped;
      check.injected = false;
      return check;
    }
    // The controller may not have counted the deletions yet: look again once the replacements
    // are there (as many live pods of the template as it wants).
    wait_for_replacements(context.kube, context.time, ref, app, wait, check.replaced);
  }
}

}  // namespace cxtm::actions
