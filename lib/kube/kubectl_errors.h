#pragma once
// Turns a failed kubectl run into one Error line with the exit code its cause deserves, and says
// what the failure means for the request: refused, worth another try, or of unknown outcome.

#include <string_view>

#include "core/error.h"
#include "kube/kube_client.h"
#include "kube/process.h"

namespace cxtm::kube {

// The KubeError for a kubectl run that did not succeed. `action` says what was attempted
// ("get Deployment default/cxtm-scheduler"). Known secrets are redacted from the text.
KubeError kubectl_failure(std::string_view action, const ProcessResult& result);

// True when the failure is the API server's NotFound for the object itself.
bool is_not_found(const ProcessResult& result);

}  // namespace cxtm::kube
