#pragma once
// `cxtm-o11y rollback SERVICE... | --all`: the pod template and the tool's annotations back
// exactly as in the original backup (in-cluster copy first, the local one second, or a file).

#include <functional>
#include <string>
#include <vector>

#include "actions/context.h"
#include "actions/instrument.h"
#include "actions/service_result.h"

namespace cxtm::actions {

struct RollbackOptions {
  bool dry_run = false;
  bool wait = true;
  Duration timeout = std::chrono::minutes(5);
  Duration poll_interval = std::chrono::seconds(2);
  std::string from_file;  // a backup file to restore instead of the stored original
  int parallel = 4;
  std::function<bool()> interrupted;
};

ServiceResult rollback_service(Context& context, BackupStores stores,
                               const config::ServiceSettings& service,
                               const RollbackOptions& options);

std::vector<ServiceResult> rollback_services(
    Context& context, BackupStores stores,
    const std::vector<const config::ServiceSettings*>& services, const RollbackOptions& options);

// The original backup of the service's Deployment: the cluster's copy, else the local one.
// A copy that fails verification is skipped with a warning naming it and why; none usable is
// Error(not_found).
backup::StoredBackup find_original(BackupStores stores, const std::string& namespace_,
                                   const std::string& deployment,
                                   std::vector<std::string>& warnings);

}  // namespace cxtm::actions
