#include "actions/instrument.h"

#include <fmt/core.h>

#include <algorithm>

#include "actions/deployment_write.h"
#include "actions/rollback.h"
#include "actions/services.h"
#include "core/parallel.h"
#include "kube/object_diff.h"
#include "render/yaml_emit.h"
#include "rollout/log_tails.h"

namespace cxtm::actions {
namespace {

// The original goes to both stores before the first write, and is returned: the state a failed
// rollout goes back to. An instrumented Deployment's original is already stored and must never
// be replaced by an instrumented state; a store that lost its copy gets the other's.
Json back_up_original(BackupStores stores, const config::ServiceSettings& service,
                      const Json& deployment, instrument::State state, ServiceResult& result) {
  if (state == instrument::State::outdated) {
    const std::string namespace_ = deployment["metadata"].value("namespace", "");
    std::vector<std::string> skipped;
    backup::StoredBackup found;
    try {
      found = find_original(stores, namespace_, service.deployment, skipped);
    } catch (const Error& error) {
      throw Error(ExitCode::not_found,
                  fmt::format("{}; rollback would be impossible, so nothing was changed (restore "
                              "one with `rollback --from FILE`, or roll back by hand first)",
                              error.what()));
    }
    for (backup::BackupStore* store : {&stores.cluster, &stores.local}) {
      std::optional<backup::StoredBackup> own;
      try {
        own = store->original(namespace_, service.deployment);
      } catch (const Error&) {
        // Damaged: replaced below by the verified copy.
      }
      if (!own) result.backups.push_back(store->save(found.backup));
    }
    for (auto& warning : skipped) result.warnings.push_back(std::move(warning));
    return found.backup.object;
  }
  const auto backup = backup::make_backup(service.name, instrument::strip_for_backup(deployment),
                                          backup::Role::original);
  result.backups.push_back(stores.local.save(backup));
  result.backups.push_back(stores.cluster.save(backup));
  return backup.object;
}

// Puts the original back after a failed rollout and waits for it. Returns what happened, for
// the result's message; when the restore fails, the command that finishes it.
std::string restore_original(Context& context, const config::ServiceSettings& service,
                             const kube::ObjectRef& ref, const Json& original,
                             const rollout::WaitOptions& wait) {
  try {
    const auto current = context.kube.get(ref);
    if (!current) return "the Deployment is gone";
    write_deployment(
        context.kube, *current,
        [&](const Json& live) { return instrument::restore_deployment(live, original); },
        {.budget = wait.timeout});
    const auto restored = rollout::wait_for_rollout(context.kube, ref, wait, context.reporter);
    if (restored.outcome == rollout::RolloutOutcome::complete) {
      return "rolled back to the original";
    }
    return fmt::format("rolled back to the original, whose rollout did not complete either ({})",
                       restored.cause());
  } catch (const Error& error) {
    // Only the wait can be interrupted here: the original is written already.
    if (error.code() == ExitCode::interrupted) {
      return "rolled back to the original (interrupted while its pods start)";
    }
    return fmt::format("rolling back failed too ({}); run `cxtm-o11y rollback {}`", error.what(),
                       service.name);
  }
}

// What to run when the tool could not tell how a rollout it started went.
std::string still_instrumented(const config::ServiceSettings& service) {
  return fmt::format(
      "it stays instrumented, the original backed up (wait again: cxtm-o11y instrument {0}; "
      "look: cxtm-o11y status {0}; undo: cxtm-o11y rollback {0})",
      service.name);
}

void wait_and_undo_on_failure(Context& context, const config::ServiceSettings& service,
                              const kube::ObjectRef& ref, const Json& original,
                              const InstrumentOptions& options, ServiceResult& result) {
  const rollout::WaitOptions wait{.timeout = options.timeout,
                                  .poll_interval = options.poll_interval,
                                  .interrupted = options.interrupted};
  std::string cause;
  try {
    result.rollout = rollout::wait_for_rollout(context.kube, ref, wait, context.reporter);
    const auto& rollout = *result.rollout;
    if (rollout.outcome == rollout::RolloutOutcome::complete) return;
    if (rollout.outcome == rollout::RolloutOutcome::unobserved) {
      // Not knowing is no reason to undo a change that may well be working.
      result.outcome = ServiceOutcome::failed;
      result.code = rollout.read_error_code;
      result.message = fmt::format("could not follow the rollout: {}; {}", rollout.read_error,
                                   still_instrumented(service));
      return;
    }
    result.log_tails =
        rollout::failing_container_logs(context.kube, ref.namespace_, rollout.problems);
    switch (rollout.outcome) {
      case rollout::RolloutOutcome::timed_out:
        result.code = ExitCode::timeout;
        cause = rollout.problems.empty()
                    ? fmt::format("not ready after {} ({})", format_duration(options.timeout),
                                  rollout.last.progress)
                    : rollout.cause();
        break;
      case rollout::RolloutOutcome::gone:
        result.code = ExitCode::not_found;
        cause = fmt::format("Deployment {} disappeared", result.deployment);
        break;
      default:
        result.code = ExitCode::failed;
        cause = rollout.cause();
    }
    cause = "rollout failed: " + cause;
  } catch (const Error& error) {
    // Ctrl-C on a terminal also stops the kubectl the wait ran: an interruption, not a failure
    // to undo.
    if (error.code() == ExitCode::interrupted || (options.interrupted && options.interrupted())) {
      throw Error(ExitCode::interrupted,
                  fmt::format("interrupted while waiting for Deployment {}", result.deployment));
    }
    // A read refused while waiting says nothing about whether the new pods work.
    result.outcome = ServiceOutcome::failed;
    result.code = error.code();
    result.message = fmt::format("could not follow the rollout: {}; {}", error.what(),
                                 still_instrumented(service));
    return;
  }
  result.outcome = ServiceOutcome::failed;
  if (options.rollback_on_failure == AutoRollback::no) {
    result.message = fmt::format(
        "{}; left instrumented (--no-rollback-on-failure; undo with "
        "`cxtm-o11y rollback {}`)",
        cause, service.name);
    return;
  }
  result.message =
      fmt::format("{}; {}", cause, restore_original(context, service, ref, original, wait));
}

// An instrumented Deployment whose rollout is still under way (a run stopped while waiting, or
// one right after another): wait for it as the run that wrote it would have.
void finish_rollout(Context& context, BackupStores stores, const config::ServiceSettings& service,
                    const kube::ObjectRef& ref, const InstrumentOptions& options,
                    ServiceResult& result) {
  std::vector<std::string> skipped;
  const auto original = find_original(stores, ref.namespace_, ref.name, skipped);
  for (auto& warning : skipped) result.warnings.push_back(std::move(warning));
  context.reporter.note(
      fmt::format("{}: already instrumented with this spec; waiting for its "
                  "rollout, which is still under way",
                  service.name));
  result.outcome = ServiceOutcome::unchanged;
  result.message = "already instrumented with this spec; its rollout was under way";
  wait_and_undo_on_failure(context, service, ref, original.backup.object, options, result);
  if (result.outcome != ServiceOutcome::failed) {
    result.message += fmt::format(" and is complete now: {}", result.rollout->last.progress);
  }
}

}  // namespace

void describe_change(const Json& before, const Json& after, std::string_view after_label,
                     ServiceResult& result) {
  result.diff = kube::unified_diff(
      "live/" + result.deployment, fmt::format("{}/{}", after_label, result.deployment),
      render::to_yaml(before["spec"]["template"]), render::to_yaml(after["spec"]["template"]));
  result.patch =
      Json::diff(instrument::strip_for_backup(before), instrument::strip_for_backup(after));
}

ServiceResult instrument_service(Context& context, BackupStores stores,
                                 const config::ServiceSettings& service,
                                 const InstrumentOptions& options) {
  const auto ref = deployment_ref(context.config, service);
  ServiceResult result{.service = service.name,
                       .deployment = fmt::format("{}/{}", ref.namespace_, ref.name)};
  // Ctrl-C stops what has not started and what waits, never a write half-way: a service is
  // either untouched (its backup maybe taken) or instrumented with its original backed up.
  const auto stop_if_interrupted = [&] {
    if (options.interrupted && options.interrupted()) {
      throw Error(ExitCode::interrupted, "interrupted; the Deployment was not changed");
    }
  };
  bool written = false;
  try {
    stop_if_interrupted();
    const auto deployment = context.kube.get(ref);
    if (!deployment) {
      throw Error(ExitCode::not_found, fmt::format("Deployment {} not found", result.deployment));
    }
    const auto spec = spec_for(context.config, service);
    const auto state = instrument::detect_state(*deployment, spec);
    if (state == instrument::State::current) {
      if (options.wait && !options.dry_run && !rollout::rollout_state(*deployment).complete) {
        finish_rollout(context, stores, service, ref, options, result);
        return result;
      }
      result.outcome = ServiceOutcome::unchanged;
      result.message = "already instrumented with this spec (no change)";
      return result;
    }
    auto transformed =
        instrument::instrument_deployment(*deployment, spec, CXTM_VERSION, options.force);
    result.warnings = std::move(transformed.warnings);
    describe_change(*deployment, transformed.deployment, "instrumented", result);
    if (options.dry_run) {
      result.outcome = ServiceOutcome::would_change;
      result.message = "dry run: nothing was written";
      return result;
    }
    stop_if_interrupted();
    const Json original = back_up_original(stores, service, *deployment, state, result);
    stop_if_interrupted();
    write_deployment(context.kube, *deployment,
                     [&](const Json& live) {
                       return instrument::instrument_deployment(live, spec, CXTM_VERSION,
                                                                options.force)
                           .deployment;
                     },
                     {.budget = options.timeout});
    written = true;
    result.outcome = state == instrument::State::outdated ? ServiceOutcome::upgraded
                                                          : ServiceOutcome::instrumented;
    result.message = state == instrument::State::poc_partial
                         ? "instrumented (completed the POC's partial setup)"
                         : std::string(outcome_name(result.outcome));
    if (!options.wait) {
      result.message += "; not waiting for the rollout";
      return result;
    }
    wait_and_undo_on_failure(context, service, ref, original, options, result);
    if (result.outcome != ServiceOutcome::failed) {
      result.message += fmt::format("; {}", result.rollout->last.progress);
    }
  } catch (const Error& error) {
    result.outcome = ServiceOutcome::failed;
    result.code = error.code();
    result.message = error.what();
    if (written && error.code() == ExitCode::interrupted) {
      result.message += "; " + still_instrumented(service);
    }
  }
  return result;
}

std::vector<ServiceResult> instrument_services(
    Context& context, BackupStores stores,
    const std::vector<const config::ServiceSettings*>& services, const InstrumentOptions& options) {
  context.kube.limit_request_time(options.timeout);
  std::vector<ServiceResult> results(services.size());
  for_each_parallel(
      services.size(), static_cast<size_t>(std::max(1, options.parallel)),
      [&](size_t i) { results[i] = instrument_service(context, stores, *services[i], options); });
  return results;
}

}  // namespace cxtm::actions
