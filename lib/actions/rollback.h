#pragma once
// `cxtm-o11y rollback SERVICE... | --all`: by default, exactly what the tool did comes out of the
// live Deployment (undo_instrumentation) and everything else stays as it is now, the app team's
// releases included; no backup is read. `--exact` (or `--from FILE`) puts the stored original's
// pod template back in full, after showing what that takes away beyond the tool's change and
// being confirmed.

#include <functional>
#include <string>
#include <vector>

#include "actions/context.h"
#include "actions/instrument.h"
#include "actions/service_change.h"
#include "actions/service_result.h"
#include "actions/service_run.h"

namespace cxtm::actions {

struct RollbackOptions {
  ChangeOptions change;
  bool exact = false;     // restore the stored original in full
  std::string from_file;  // with exact: this backup file instead of the stored original
  // exact: asked once, with every service's preview (diff, what it takes away, an unverified
  // original in full), before anything is written; false writes nothing.
  std::function<bool(const std::vector<ServiceResult>& previews)> confirm;
};

ServiceResult rollback_service(Context& context, BackupStores stores,
                               const config::ServiceSettings& service,
                               const RollbackOptions& options);

// `rollback` as the command runs it: Splunk told (the detectors of the services that ask for it
// muted first, an event per change after), the services rolled back.
ServiceRun run_rollback(Session& session,
                        const std::vector<const config::ServiceSettings*>& services,
                        const RollbackOptions& options);

std::vector<ServiceResult> rollback_services(
    Context& context, BackupStores stores,
    const std::vector<const config::ServiceSettings*>& services, const RollbackOptions& options);

}  // namespace cxtm::actions
