#include "actions/instrument.h"

#include <fmt/core.h>

#include <algorithm>

#include "actions/services.h"
#include "core/parallel.h"
#include "kube/object_diff.h"
#include "render/yaml_emit.h"
#include "rollout/log_tails.h"

namespace cxtm::actions {
namespace {

// The original goes to both stores before the first write. An instrumented Deployment's
// original is already stored and must never be replaced by an instrumented state.
void back_up_original(BackupStores stores, const config::ServiceSettings& service,
                      const Json& deployment, instrument::State state, ServiceResult& result) {
  if (state == instrument::State::outdated) {
    for (backup::BackupStore* store : {&stores.cluster, &stores.local}) {
      if (store->original(deployment["metadata"].value("namespace", ""), service.deployment))
        return;
    }
    throw Error(ExitCode::not_found,
                "instrumented before, but no original backup was found in the cluster or "
                "locally; rollback would be impossible (restore one with --from, or roll back "
                "by hand first)");
  }
  const auto backup = backup::make_backup(service.name, instrument::strip_for_backup(deployment),
                                          backup::Role::original);
  result.backups.push_back(stores.local.save(backup));
  result.backups.push_back(stores.cluster.save(backup));
}

void wait_and_undo_on_failure(Context& context, const kube::ObjectRef& ref, const Json& original,
                              const InstrumentOptions& options, ServiceResult& result) {
  const rollout::WaitOptions wait{.timeout = options.timeout,
                                  .poll_interval = options.poll_interval,
                                  .interrupted = options.interrupted};
  result.rollout = rollout::wait_for_rollout(context.kube, ref, wait, context.reporter);
  const auto& rollout = *result.rollout;
  if (rollout.outcome == rollout::RolloutOutcome::complete) return;

  result.log_tails =
      rollout::failing_container_logs(context.kube, ref.namespace_, rollout.problems);
  result.code =
      rollout.outcome == rollout::RolloutOutcome::timed_out ? ExitCode::timeout : ExitCode::failed;
  const std::string cause =
      rollout.problems.empty() ? fmt::format("not ready after {}", format_duration(options.timeout))
                               : rollout.problems.front().summary();
  result.outcome = ServiceOutcome::failed;
  if (options.rollback_on_failure == AutoRollback::no) {
    result.message =
        fmt::format("rollout failed: {}; left instrumented (--no-rollback-on-failure)", cause);
    return;
  }
  const auto current = context.kube.get(ref);
  if (!current) {
    result.message = fmt::format("rollout failed: {}; the Deployment is gone", cause);
    return;
  }
  context.kube.replace(kube::for_update(instrument::restore_deployment(*current, original)));
  rollout::wait_for_rollout(context.kube, ref, wait, context.reporter);
  result.message = fmt::format("rollout failed: {}; rolled back to the original", cause);
}

}  // namespace

void describe_change(const Json& before, const Json& after, ServiceResult& result) {
  result.diff = kube::unified_diff("live/" + result.deployment, "instrumented/" + result.deployment,
                                   render::to_yaml(before["spec"]["template"]),
                                   render::to_yaml(after["spec"]["template"]));
  result.patch =
      Json::diff(instrument::strip_for_backup(before), instrument::strip_for_backup(after));
}

ServiceResult instrument_service(Context& context, BackupStores stores,
                                 const config::ServiceSettings& service,
                                 const InstrumentOptions& options) {
  const auto ref = deployment_ref(context.config, service);
  ServiceResult result{.service = service.name,
                       .deployment = fmt::format("{}/{}", ref.namespace_, ref.name)};
  try {
    const auto deployment = context.kube.get(ref);
    if (!deployment) {
      throw Error(ExitCode::not_found, fmt::format("Deployment {} not found", result.deployment));
    }
    const auto spec = spec_for(context.config, service);
    const auto state = instrument::detect_state(*deployment, spec);
    if (state == instrument::State::current) {
      result.outcome = ServiceOutcome::unchanged;
      result.message = "already instrumented with this spec (no change)";
      return result;
    }
    auto transformed =
        instrument::instrument_deployment(*deployment, spec, CXTM_VERSION, options.force);
    result.warnings = std::move(transformed.warnings);
    describe_change(*deployment, transformed.deployment, result);
    if (options.dry_run) {
      result.outcome = ServiceOutcome::would_change;
      result.message = "dry run: nothing was written";
      return result;
    }
    back_up_original(stores, service, *deployment, state, result);
    context.kube.replace(kube::for_update(transformed.deployment));
    result.outcome = state == instrument::State::outdated ? ServiceOutcome::upgraded
                                                          : ServiceOutcome::instrumented;
    result.message = state == instrument::State::poc_partial
                         ? "instrumented (completed the POC's partial setup)"
                         : std::string(outcome_name(result.outcome));
    if (!options.wait) {
      result.message += "; not waiting for the rollout";
      return result;
    }
    const auto original = stores.cluster.original(ref.namespace_, ref.name);
    wait_and_undo_on_failure(
        context, ref,
        original ? original->backup.object : instrument::strip_for_backup(*deployment), options,
        result);
    if (result.outcome != ServiceOutcome::failed) {
      result.message += fmt::format("; {}", result.rollout->last.progress);
    }
  } catch (const Error& error) {
    if (error.code() == ExitCode::interrupted) throw;
    result.outcome = ServiceOutcome::failed;
    result.code = error.code();
    result.message = error.what();
  }
  return result;
}

std::vector<ServiceResult> instrument_services(
    Context& context, BackupStores stores,
    const std::vector<const config::ServiceSettings*>& services, const InstrumentOptions& options) {
  std::vector<ServiceResult> results(services.size());
  for_each_parallel(
      services.size(), static_cast<size_t>(std::max(1, options.parallel)),
      [&](size_t i) { results[i] = instrument_service(context, stores, *services[i], options); });
  return results;
}

}  // namespace cxtm::actions
