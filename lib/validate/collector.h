#pragma once
// Check 2: the collector DaemonSet has every desired pod ready, no pod restarts over and over
// (a crash-looping pod fails; a ready pod that restarted often warns),
// and the live ConfigMap passes `lint`. Its facts (pods, container, live config) feed the
// checks after it.

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/config.h"
#include "kube/kube_client.h"
#include "validate/report.h"

namespace cxtm::validate {

// A pod restarted this often is restarting repeatedly (kubelet backs off from the third).
inline constexpr int kRepeatedRestarts = 3;

struct CollectorFacts {
  std::vector<std::string> pods;        // every collector pod, by name
  std::vector<std::string> ready_pods;  // those that are Ready
  std::string container;                // the collector container (first of the template)
  std::string relay_yaml;               // the live config; empty when unreadable
};

// Reads the DaemonSet, its pods and the live ConfigMap; fills result. Throws Error for API
// failures (the runner fails the check with them).
CollectorFacts check_collector(kube::KubeClient& kube, const config::Config& config,
                               CheckResult& result);

// The nodes on which a ready collector pod runs; nullopt when the collector's DaemonSet is not
// there (check 2 says so). Throws Error for API failures.
std::optional<std::set<std::string>> ready_collector_nodes(kube::KubeClient& kube,
                                                           const config::Config& config);

// The exporters of the traces pipelines in a collector config that send spans on (not the
// signalfx exporter, which only correlates, nor debug/nop). Falls back to {"otlphttp"} when the
// config cannot be read. Pure.
std::set<std::string> traces_exporters(const std::string& relay_yaml);

}  // namespace cxtm::validate
