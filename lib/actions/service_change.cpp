#include "actions/service_change.h"

#include "actions/services.h"
#include "core/parallel.h"

namespace cxtm::actions {

rollout::WaitOptions rollout_wait(const ChangeOptions& change, TimeSource& time) {
  return {.timeout = change.timeout,
          .poll_interval = change.poll_interval,
          .interrupted = change.interrupted,
          .time = &time};
}

std::vector<ServiceResult> change_each_service(
    Context& context, const std::vector<const config::ServiceSettings*>& services,
    const ChangeOptions& change, const std::function<ServiceResult(size_t)>& change_one) {
  context.kube.limit_request_time(change.timeout);
  read_in_bulk(context.config, context.kube, services,
               !change.dry_run && change.wait ? BulkRead::follow_rollouts : BulkRead::deployments);
  std::vector<ServiceResult> results(services.size());
  for_each_parallel(services.size(), wave_width(change.parallel, services.size()),
                    [&](size_t i) { results[i] = change_one(i); });
  return results;
}

}  // namespace cxtm::actions
