#pragma once
// What `instrument` and `rollback` share: how each service's change is made and waited for,
// and the wave that runs them side by side.

#include <chrono>
#include <functional>
#include <vector>

#include "actions/context.h"
#include "actions/service_result.h"
#include "config/config.h"
#include "core/duration.h"
#include "core/time_source.h"
#include "rollout/rollout.h"

namespace cxtm::actions {

struct ChangeOptions {
  bool dry_run = false;                        // show the diff; write nothing, not even a backup
  bool wait = true;                            // for each service's rollout
  Duration timeout = std::chrono::minutes(5);  // per service
  Duration poll_interval = std::chrono::seconds(2);
  int parallel = 0;  // services at once; 0: all in one wave (wave_width)
  std::function<bool()> interrupted;
};

// The rollout wait each service's change makes, on time's clock.
rollout::WaitOptions rollout_wait(const ChangeOptions& change, TimeSource& time);

// Runs change_one for each of services, change.parallel at a time, after reading their
// Deployments in bulk (and watching their rollouts when the wave waits for them); each request
// is bounded by change.timeout. Results in the order of services.
std::vector<ServiceResult> change_each_service(
    Context& context, const std::vector<const config::ServiceSettings*>& services,
    const ChangeOptions& change, const std::function<ServiceResult(size_t)>& change_one);

}  // namespace cxtm::actions
