#include "rollout/log_tails.h"

#include <fmt/core.h>

#include "core/error.h"
#include "core/redact.h"

namespace cxtm::rollout {

std::vector<std::string> failing_container_logs(kube::KubeClient& kube,
                                                const std::string& namespace_,
                                                const std::vector<PodProblem>& problems,
                                                int lines) {
  std::vector<std::string> tails;
  for (const auto& problem : problems) {
    if (problem.container.empty()) continue;
    try {
      const std::string log =
          kube.logs(namespace_, problem.pod, problem.container, lines, problem.restarts > 0);
      if (!log.empty()) {
        tails.push_back(fmt::format("{}/{}:\n{}", problem.pod, problem.container, redact(log)));
      }
    } catch (const Error&) {
      // The log helps explain; it is not the verdict. A pod may be gone already.
    }
  }
  return tails;
}

}  // namespace cxtm::rollout
