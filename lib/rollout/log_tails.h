#pragma once
// The last log lines of the containers a rollout found failing, so the reason shows without
// another command.

#include <string>
#include <vector>

#include "kube/kube_client.h"
#include "rollout/pod_diagnosis.h"

namespace cxtm::rollout {

// "pod/container:\n<last lines>" for each problem with a container; the previous instance's
// log when it restarted. Secrets are redacted; unreadable logs are skipped.
std::vector<std::string> failing_container_logs(kube::KubeClient& kube,
                                                const std::string& namespace_,
                                                const std::vector<PodProblem>& problems,
                                                int lines = 20);

}  // namespace cxtm::rollout
