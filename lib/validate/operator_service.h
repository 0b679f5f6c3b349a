#pragma once
// Check 5 for a service the OpenTelemetry Operator injects (`instrument --via operator`): the
// tool's Instrumentation is there as the config says, and every pod of the workload's current
// template was injected (the webhook fails open: a pod it did not inject starts untraced and
// nothing says so), its app container Ready, on a node with a ready collector pod.

#include <optional>
#include <set>
#include <string>

#include "core/json.h"
#include "instrument/spec.h"
#include "kube/kube_client.h"
#include "validate/verdict.h"

namespace cxtm::validate {

void check_operator_injection(kube::KubeClient& kube, const kube::ObjectRef& ref,
                              const Json& workload, const instrument::InstrumentationSpec& spec,
                              const std::optional<std::set<std::string>>& collector_nodes,
                              Verdict& verdict);

}  // namespace cxtm::validate
