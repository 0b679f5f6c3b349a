#pragma once
// Shared by the per-service commands (instrument, rollback, status, backup): which services a
// command line names, and the instrumentation spec of each from the config.

#include <optional>
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

// The config's defaults for a Deployment it does not list: the service is named after it, lives
// in its namespace, and its pods are those its selector's matchLabels select. Pure.
config::ServiceSettings default_service(const config::Config& config, const Json& deployment);

// `-l SELECTOR`: the Deployments of the config's namespace whose labels match, as services (by
// Deployment name): the configured service of each the config lists, else default_service,
// added to config.services. Throws Error(usage) for a malformed selector and Error(not_found)
// when nothing matches.
std::vector<const config::ServiceSettings*> select_by_label(config::Config& config,
                                                            kube::KubeClient& kube,
                                                            const std::string& selector);

// Pure: the spec a service is instrumented with, by the injector the config names (the
// tool's init container when it names none).
instrument::InstrumentationSpec spec_for(const config::Config& config,
                                         const config::ServiceSettings& service);

// Pure: the spec for the service's workload as it is: the injector `chosen` (--via) when set,
// else the config's, else the one the workload was instrumented with, else the tool's init
// container. A flag given once is not undone by the next run without it.
instrument::InstrumentationSpec spec_for_workload(const config::Config& config,
                                                  const config::ServiceSettings& service,
                                                  const Json& workload,
                                                  std::optional<instrument::Injector> chosen);

// The service's workload: its Deployment, StatefulSet or DaemonSet.
kube::ObjectRef workload_ref(const config::Config& config, const config::ServiceSettings& service);

// How a command reads its services' objects: follow_rollouts (a wait to come) watches the
// Deployments, their ReplicaSets and pods; else one LIST of the Deployments, and of the pods
// when `pods`.
enum class BulkRead { deployments, deployments_and_pods, follow_rollouts };

// From now on the services' Deployments (and pods) are read in one LIST per namespace instead
// of a GET each (kube::KubeClient::read_in_bulk). One service not followed is read as it is: a
// LIST costs what its GET does.
void read_in_bulk(const config::Config& config, kube::KubeClient& kube,
                  const std::vector<const config::ServiceSettings*>& services, BulkRead what);

// How many services a command handles at once: `parallel` when set (> 0), else all of them in
// one wave, up to kMaxWave. The kubectl processes they start are capped on their own
// (kube::KubectlOptions::max_processes), so a wide wave costs threads, not memory.
inline constexpr int kMaxWave = 64;
size_t wave_width(int parallel, size_t services);

}  // namespace cxtm::actions
