#pragma once
// `cxtm-o11y collector deploy`: lint, show the change, apply it, wait for the DaemonSet, and put
// the previous objects back when the new collector does not come up.

#include <optional>
#include <string>
#include <vector>

#include "actions/collector_plan.h"
#include "actions/context.h"
#include "core/duration.h"
#include "core/error.h"
#include "rollout/rollout.h"

namespace cxtm::actions {

enum class RollbackOnFailure { yes, no };

struct CollectorDeployOptions {
  bool dry_run = false;  // show the diff, write nothing
  bool wait = true;
  Duration timeout = std::chrono::minutes(5);
  Duration poll_interval = std::chrono::seconds(2);
  RollbackOnFailure rollback = RollbackOnFailure::yes;
  bool adopt = false;  // take over same-named objects that are not ours (PlanOptions)
  std::function<bool()> interrupted;
};

struct CollectorDeployResult {
  CollectorPlan plan;
  std::optional<rollout::RolloutResult> rollout;  // when waited
  std::vector<std::string> log_tails;             // "pod/container: last lines", for crashing pods
  bool rolled_back = false;
  ExitCode code = ExitCode::ok;
  std::string message;  // one line: what happened
};

// Runs the deploy. Refusals before any write (lint, missing Secret, API errors while planning)
// throw Error; failures after writes are reported in the result, after the undo.
CollectorDeployResult deploy_collector(Context& context, const CollectorDeployOptions& options);

}  // namespace cxtm::actions
