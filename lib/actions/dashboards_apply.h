#pragma once
// `dashboards apply`: the cluster's dashboard group in Splunk Observability Cloud, with a
// dashboard and a detector for each service (templates/dashboards/), created or brought up to
// date; all or nothing (dashboards/perform.h).

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "config/config.h"
#include "dashboards/plan.h"
#include "print/reporter.h"
#include "splunk/objects_api.h"

namespace cxtm::actions {

struct DashboardsApplyOptions {
  std::vector<const config::ServiceSettings*> services;
  bool dry_run = false;
  std::function<bool()> interrupted;
};

struct DashboardsApplyResult {
  std::vector<dashboards::PlannedObject> plan;
  std::map<std::string, std::string> ids;  // key → Splunk id (after a dry run: existing only)
  std::string group_url;                   // the group in Splunk's web UI; "" before it exists
  std::string message;                     // one line: what was done
};

// Reads what Splunk holds, plans, and (unless dry_run) applies. Splunk's failures throw Error
// (splunk_objects.h) after the undo.
DashboardsApplyResult apply_dashboards(const config::Config& config, splunk::ObjectsApi& api,
                                       print::Reporter& reporter,
                                       const DashboardsApplyOptions& options);

}  // namespace cxtm::actions
