#pragma once
// Turns a failed kubectl run into one Error line with the exit code its cause deserves.

#include <string_view>

#include "core/error.h"
#include "kube/process.h"

namespace cxtm::kube {

// The Error for a kubectl run that did not succeed. `action` says what was attempted
// ("get Deployment default/cxtm-scheduler"). Known secrets are redacted from the text.
Error kubectl_failure(std::string_view action, const ProcessResult& result);

// True when the failure is the API server's NotFound for the object itself.
bool is_not_found(const ProcessResult& result);

}  // namespace cxtm::kube
