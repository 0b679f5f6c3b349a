#pragma once
// What changed in an instrumented Deployment since the tool instrumented it, by someone else:
// its parts taken out (a GitOps sync that reverts the template, a hand edit), its variables
// changed, the app's image moved on. Pure.

#include <string>
#include <vector>

#include "core/json.h"

namespace cxtm::instrument {

// One line per drift; empty when the Deployment is as the tool left it, or not the tool's.
std::vector<std::string> instrumentation_drift(const Json& deployment);

}  // namespace cxtm::instrument
