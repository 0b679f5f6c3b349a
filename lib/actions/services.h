#pragma once
// Shared by the per-service commands (instrument, rollback, status, backup): which services a
// command line names, and the instrumentation spec of each from the config.

#include <string>
#include <vector>

#include "config/config.h"
#include "instrument/spec.h"
#include "kube/kube_client.h"

namespace cxtm::actions {

// The services named (in config order when all), or every service when all is true.
// Throws Error(usage) for an unknown name (listing the configured ones), for no names without
// all, and for names together with all.
std::vector<const config::ServiceSettings*> select_services(const config::Config& config,
                                                            const std::vector<std::string>& names,
                                                            bool all);

// Pure: the spec a service is instrumented with.
instrument::InstrumentationSpec spec_for(const config::Config& config,
                                         const config::ServiceSettings& service);

// The service's Deployment.
kube::ObjectRef deployment_ref(const config::Config& config,
                               const config::ServiceSettings& service);

}  // namespace cxtm::actions
