#pragma once
// `cxtm-o11y instrument SERVICE... | --all`: zero-code OpenTelemetry for Python Deployments.
// Per service: read, transform (pure), back up the original twice, write once with a
// resourceVersion precondition, wait for the rollout, and put the original back on failure.

#include <functional>
#include <optional>
#include <vector>

#include "actions/context.h"
#include "actions/operator_setup.h"
#include "actions/service_change.h"
#include "actions/service_result.h"
#include "actions/service_run.h"
#include "backup/backup_store.h"
#include "config/config.h"
#include "core/duration.h"
#include "instrument/transform.h"

namespace cxtm::actions {

class Session;

enum class AutoRollback { yes, no };

enum class ValidateAfter { yes, no };

struct InstrumentOptions {
  ChangeOptions change;  // a dry run shows the diff and the patch
  AutoRollback rollback_on_failure = AutoRollback::yes;
  instrument::Force force = instrument::Force::no;
  // --via: who injects; unset: the config's choice, else as the workload is (spec_for_workload)
  std::optional<instrument::Injector> injector;
};

// Instruments one service. Errors become a failed result naming the service and the cause.
// operator_setup writes the Instrumentation of the services the Operator injects.
ServiceResult instrument_service(Context& context, BackupStores stores,
                                 const config::ServiceSettings& service,
                                 const InstrumentOptions& options, OperatorSetup& operator_setup);

// Instruments several services, in one wave (options.parallel caps it), their Deployments read
// in bulk and their rollouts watched together; results in the given order.
std::vector<ServiceResult> instrument_services(
    Context& context, BackupStores stores,
    const std::vector<const config::ServiceSettings*>& services, const InstrumentOptions& options);

// `instrument` as the command runs it: Splunk told (the detectors of the services that ask for
// it muted first, an event per change after), the services instrumented, then, when their
// rollouts were waited for, validate's checks 4 and 5 for those just written.
ServiceRun run_instrument(Session& session,
                          const std::vector<const config::ServiceSettings*>& services,
                          const InstrumentOptions& options, ValidateAfter validate_after);

// The pod template's unified YAML diff ("live/<ns>/<name>" against
// "<after_label>/<ns>/<name>") and the Deployment's JSON patch between two versions.
void describe_change(const Json& before, const Json& after, std::string_view after_label,
                     ServiceResult& result);

}  // namespace cxtm::actions
