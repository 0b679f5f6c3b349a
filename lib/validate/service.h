#pragma once
// Check 5, once per service: the Deployment carries the tool's marker, environment and volume;
// in its current pods the installer init container exited 0 and logged the packages it
// installed, the app container is Ready, and the pod's node runs a ready collector pod.

#include <optional>
#include <set>
#include <string>

#include "instrument/spec.h"
#include "kube/kube_client.h"
#include "validate/report.h"

namespace cxtm::validate {

// At most this many pods have their installer log read, and at most this many their app log.
inline constexpr int kPodLogsRead = 5;

// collector_nodes: the nodes with a ready collector pod (validate/collector.h), nullopt when
// unknown. A pod on another node loses its spans: the collector's Service sends a pod's spans
// to its own node's collector only (internalTrafficPolicy: Local).
void check_service(kube::KubeClient& kube, const kube::ObjectRef& deployment,
                   const instrument::InstrumentationSpec& spec, const std::string& service,
                   const std::optional<std::set<std::string>>& collector_nodes,
                   CheckResult& result);

}  // namespace cxtm::validate
