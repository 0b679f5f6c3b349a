#pragma once
// `cxtm-o11y plan`: every dry run a config implies, at once: the collector (`collector deploy
// --dry-run`), the services (`instrument --all --dry-run`), the dashboards and detectors
// (`dashboards apply --dry-run`), summed up in one part each, for people and for CI drift gates.

#include <optional>
#include <string>
#include <vector>

#include "actions/collector_deploy.h"
#include "actions/context.h"
#include "actions/dashboards_apply.h"
#include "actions/instrument.h"
#include "actions/service_result.h"

namespace cxtm::actions {

struct PlanPart {
  std::string name;  // "collector", "services", "dashboards"
  ExitCode code = ExitCode::ok;
  bool pending = false;  // something to do
  bool skipped = false;
  std::string summary;  // one line: what would change, "up to date", why skipped, or the error
  std::vector<std::string> details;  // a line per failed item: "scheduler: <why>"
};

struct PlanReport {
  std::vector<PlanPart> parts;  // in the order above
  std::optional<CollectorDeployResult> collector;
  std::vector<ServiceResult> services;
  std::optional<DashboardsApplyResult> dashboards;

  bool changes_pending() const;
  // The first failed part's code, else ok.
  ExitCode code() const;
};

// What the dashboards part needs; splunk null: skipped for skip_reason.
struct PlanDashboards {
  splunk::ObjectsApi* splunk = nullptr;
  std::string skip_reason;
};

// Runs the three dry runs; a part that fails is reported in its part and the others still run.
// Writes nothing.
PlanReport run_plan(Context& context, BackupStores stores, const PlanDashboards& dashboards);

}  // namespace cxtm::actions
