#pragma once
// `cxtm-o11y collector deploy`: lint, show the change, apply it, wait for the DaemonSet, and put
// the previous objects back when the new collector does not come up.

#include <functional>
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
  // After a complete rollout: what is still wrong with the new collector (rotate-token asks
  // whether its exporter gets through with the new token), or nullopt. A problem fails the
  // deploy and undoes it as a failed rollout would.
  std::function<std::optional<std::string>()> verify;
  // Refuses, before any write, a plan that changes more than this allows (rotate-token: the
  // token alone). Throws Error.
  std::function<void(const CollectorPlan&)> check_plan;
};

struct CollectorDeployResult {
  bool dry_run = false;
  CollectorPlan plan;
  std::optional<rollout::RolloutResult> rollout;  // when waited
  std::vector<std::string> log_tails;             // "pod/container: last lines", for crashing pods
  bool rolled_back = false;
  ExitCode code = ExitCode::ok;
  std::string message;  // one line: what happened

  // {"dryRun", "changesPending", "objects": [{"kind", "namespace", "name", "change", "diff"}],
  // "rollout", "logTails", "rolledBack", "exitCode", "message"}: the -o json/yaml document.
  Json to_json() const;
};

// Runs the deploy. Refusals before any write (lint, missing Secret, API errors while planning)
// throw Error; failures after writes are reported in the result, after the undo.
CollectorDeployResult deploy_collector(Context& context, const CollectorDeployOptions& options);

}  // namespace cxtm::actions
