#pragma once
// Check 1: kubectl reaches the cluster, and the user may do what the tool needs (the
// SelfSubjectAccessReviews `kubectl auth can-i` makes), naming what is denied.

#include <string>
#include <vector>

#include "config/config.h"
#include "kube/kube_client.h"
#include "validate/report.h"

namespace cxtm::validate {

struct AccessNeed {
  kube::AccessQuery query;
  bool required = false;  // validate itself needs it; the others only other commands
  std::string why;        // "validate reads the collector's logs"
};

// "get pods/log in default".
std::string describe(const kube::AccessQuery& query);

// What validate needs (required) and what collector deploy, instrument and rollback need, for
// the namespaces of this config; traffic: validate --traffic's too. Pure.
std::vector<AccessNeed> access_needs(const config::Config& config, bool traffic = false);

// Asks about every need at once. Fails when kubectl cannot reach the cluster or a
// required verb is denied; warns when only other commands' verbs are denied.
void check_access(kube::KubeClient& kube, const std::vector<AccessNeed>& needs,
                  CheckResult& result);

}  // namespace cxtm::validate
