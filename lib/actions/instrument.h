#pragma once
// `cxtm-o11y instrument SERVICE... | --all`: zero-code OpenTelemetry for Python Deployments.
// Per service: read, transform (pure), back up the original twice, write once with a
// resourceVersion precondition, wait for the rollout, and put the original back on failure.

#include <functional>
#include <optional>
#include <vector>

#include "actions/context.h"
#include "actions/operator_setup.h"
#include "actions/service_result.h"
#include "backup/backup_store.h"
#include "config/config.h"
#include "core/duration.h"
#include "instrument/transform.h"

namespace cxtm::actions {

enum class AutoRollback { yes, no };

struct InstrumentOptions {
  bool dry_run = false;  // show the diff and patch; write nothing, not even a backup
  bool wait = true;
  Duration timeout = std::chrono::minutes(5);
  Duration poll_interval = std::chrono::seconds(2);
  AutoRollback rollback_on_failure = AutoRollback::yes;
  instrument::Force force = instrument::Force::no;
  int parallel = 0;  // services at once; 0: all in one wave (wave_width)
  // --via: who injects; unset: the config's choice, else as the workload is (spec_for_workload)
  std::optional<instrument::Injector> injector;
  std::function<bool()> interrupted;
};

struct BackupStores {
  backup::BackupStore& local;
  backup::BackupStore& cluster;
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

// The pod template's unified YAML diff ("live/<ns>/<name>" against
// "<after_label>/<ns>/<name>") and the Deployment's JSON patch between two versions.
void describe_change(const Json& before, const Json& after, std::string_view after_label,
                     ServiceResult& result);

}  // namespace cxtm::actions
