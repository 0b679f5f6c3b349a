#include "actions/rollback.h"

#include <fmt/core.h>

#include "actions/change_awareness.h"
#include "actions/deployment_write.h"
#include "actions/operator_setup.h"
#include "actions/originals.h"
#include "actions/services.h"
#include "actions/session.h"
#include "core/bounded_input.h"
#include "core/parallel.h"
#include "core/yaml_emit.h"
#include "instrument/change_origin.h"
#include "instrument/operator_injection.h"
#include "instrument/owned.h"
#include "instrument/transform.h"
#include "kube/object_diff.h"

namespace cxtm::actions {
namespace {

// The backup file given with --from, verified. A damaged one is a bad flag value, refused with
// why and where the stored original is.
backup::StoredBackup from_file(BackupStores stores, const kube::ObjectRef& ref,
                               const std::string& path) {
  try {
    return {backup::parse_backup(read_input(path, max_input_bytes()), path), path};
  } catch (const Error& error) {
    std::string other;
    try {
      std::vector<std::string> skipped;
      other = fmt::format(
          "; the original stored at {} is usable: --exact instead of --from restores it",
          find_original(stores, ref.namespace_, ref.name, skipped).location);
    } catch (const Error&) {
      other = "; no usable original is stored locally or in the cluster either";
    }
    throw Error(ExitCode::usage, fmt::format("--from {}{}", error.what(), other));
  }
}

// The original --exact restores, with how far it can be trusted noted on result.
ExactOriginal exact_original(BackupStores stores, const kube::ObjectRef& ref,
                             const RollbackOptions& options, ServiceResult& result) {
  if (!options.from_file.empty()) return {from_file(stores, ref, options.from_file), true, ""};
  const OriginalCopies copies = read_originals(stores, ref.namespace_, ref.name);
  for (const auto& damaged : copies.damaged) result.warnings.push_back(damaged);
  ExactOriginal original = original_for_exact(copies, ref.namespace_, ref.name);
  if (!original.copies_differ.empty()) {
    result.original_location = original.stored.location;
    result.copies_differ = original.copies_differ;
    throw Error(ExitCode::conflict,
                fmt::format("the local and the cluster's copies of the original of {} differ "
                            "(the cluster's may have been rewritten; the diff is shown): nothing "
                            "was written; restore the right one with --from FILE",
                            ref.describe()));
  }
  return original;
}

// --exact: the stored original's pod template over whatever is live, shown first.
Json prepare_exact(BackupStores stores, const kube::ObjectRef& ref, const Json& current,
                   const RollbackOptions& options, ServiceResult& result,
                   backup::StoredBackup& chosen) {
  const ExactOriginal original = exact_original(stores, ref, options, result);
  const backup::WorkloadBackup& stored = original.stored.backup;
  if (stored.deployment != ref.name || stored.namespace_ != ref.namespace_) {
    throw Error(ExitCode::usage,
                fmt::format("{} is a backup of {}, not of {}", original.stored.location,
                            stored.ref().namespaced_name(), result.deployment));
  }
  chosen = original.stored;
  result.original_location = original.stored.location;
  result.original_verified = original.verified;
  const Json restored = instrument::restore_deployment(current, stored.object);
  // What the original takes away beyond the tool's change: the app team's releases since.
  const Json without_tool = instrument::undo_instrumentation(current).deployment;
  result.taken_away = kube::unified_diff("live-without-cxtm-o11y/" + result.deployment,
                                         "original/" + result.deployment,
                                         to_yaml(member_at(without_tool, {"spec", "template"})),
                                         to_yaml(member_at(restored, {"spec", "template"})));
  if (!original.verified) {
    result.unverified_template = to_yaml(member_at(stored.object, {"spec", "template"}));
    result.warnings.push_back(fmt::format(
        "the original is the cluster's copy only ({}): unverified, since anyone who may write "
        "ConfigMaps in namespace {} can rewrite it; its pod template is shown in full",
        original.stored.location, ref.namespace_));
  }
  return restored;
}

void wait_for_written(Context& context, const kube::ObjectRef& ref,
                      const config::ServiceSettings& service, const RollbackOptions& options,
                      ServiceResult& result) {
  try {
    result.rollout = rollout::wait_for_rollout(
        context.kube, ref, rollout_wait(options.change, context.time), context.reporter);
  } catch (const Error& error) {
    result.code = error.code();
    // The rollback is written either way: what is left is watching its pods come up.
    result.message +=
        error.code() == ExitCode::interrupted
            ? fmt::format("; interrupted while its pods start (follow them: cxtm-o11y status {})",
                          service.name)
            : fmt::format("; could not follow the rollout: {}", error.what());
    return;
  }
  if (result.rollout->outcome == rollout::RolloutOutcome::unobserved) {
    result.code = result.rollout->read_error_code;
    result.message +=
        fmt::format("; could not follow the rollout: {} (follow it: cxtm-o11y status {})",
                    result.rollout->read_error, service.name);
  } else if (result.rollout->outcome != rollout::RolloutOutcome::complete) {
    result.code = result.rollout->outcome == rollout::RolloutOutcome::timed_out ? ExitCode::timeout
                                                                                : ExitCode::failed;
    result.message += fmt::format("; the rollout did not complete: {}", result.rollout->cause());
  } else {
    result.message += fmt::format("; {}", result.rollout->last.progress);
  }
}

}  // namespace

ServiceResult rollback_service(Context& context, BackupStores stores,
                               const config::ServiceSettings& service,
                               const RollbackOptions& options) {
  const auto ref = workload_ref(context.config, service);
  ServiceResult result{.service = service.name, .deployment = ref.namespaced_name()};
  try {
    if (options.change.interrupted && options.change.interrupted()) {
      throw Error(ExitCode::interrupted, "interrupted; the Deployment was not changed");
    }
    const auto current = context.kube.get(ref);
    if (!current) throw Error(ExitCode::not_found, ref.describe() + " not found");
    if (!options.exact && !instrument::instrumented_by_us(*current)) {
      result.outcome = ServiceOutcome::unchanged;
      result.message = "not instrumented by cxtm-o11y; nothing to roll back";
      return result;
    }
    backup::StoredBackup original;
    DeploymentChange change;
    Json after;
    if (options.exact) {
      after = prepare_exact(stores, ref, *current, options, result, original);
      change = [object = original.backup.object](const Json& live) {
        return instrument::restore_deployment(live, object);
      };
    } else {
      auto undone = instrument::undo_instrumentation(*current);
      result.left_alone = std::move(undone.left_alone);
      after = std::move(undone.deployment);
      change = [](const Json& live) { return instrument::undo_instrumentation(live).deployment; };
    }
    describe_change(*current, after, options.exact ? "original" : "rolled-back", result);
    if (const auto controller = instrument::gitops_controller(*current); !controller.empty()) {
      result.warnings.push_back(fmt::format(
          "{} is managed by {}: when the change came from Git, its next sync puts it back; "
          "take it out of Git with `cxtm-o11y rollback {} --output-dir DIR`",
          ref.describe(), controller, service.name));
    }
    const std::string done = options.exact ? fmt::format("restored from {}", original.location)
                                           : "the tool's change taken out";
    if (same_json(instrument::strip_for_backup(*current), instrument::strip_for_backup(after))) {
      result.outcome = ServiceOutcome::unchanged;
      result.message = "already as the original: nothing to roll back";
      return result;
    }
    if (options.change.dry_run) {
      result.outcome = ServiceOutcome::would_change;
      result.message = options.exact ? fmt::format("dry run: would restore {}", original.location)
                                     : "dry run: would take out the tool's change";
      return result;
    }
    try {
      write_deployment(context.kube, *current, change,
                       {.budget = options.change.timeout, .time = &context.time});
      rollout::delete_halted_pods(context.kube, ref, *current);
    } catch (const Error& error) {
      // The pod template moved since it was read: when what moved it took the tool's change out
      // (another rollback, or the last write of one that was killed, landing late), nothing is
      // left to do; any other move is the user's to look at.
      if (error.code() != ExitCode::conflict || options.exact) throw;
      const auto now = context.kube.get(ref);
      if (!now || instrument::instrumented_by_us(*now)) throw;
      result.outcome = ServiceOutcome::unchanged;
      result.message =
          "the tool's change was taken out meanwhile (another run): nothing left to "
          "roll back";
      return result;
    }
    result.outcome = ServiceOutcome::rolled_back;
    result.message = done;
    if (instrument::injected_by_operator(*current)) {
      clean_up_instrumentation(context, ref.namespace_, result);
    }
    if (!options.change.wait) {
      result.message += "; not waiting for the rollout";
      return result;
    }
    wait_for_written(context, ref, service, options, result);
  } catch (const Error& error) {
    result.outcome = ServiceOutcome::failed;
    result.code = error.code();
    result.message = error.what();
  }
  return result;
}

std::vector<ServiceResult> rollback_services(
    Context& context, BackupStores stores,
    const std::vector<const config::ServiceSettings*>& services, const RollbackOptions& options) {
  read_originals_in_bulk(context.config, stores, services);
  std::vector<ServiceResult> results(services.size());
  std::vector<bool> to_write(services.size(), true);
  if (options.exact && !options.change.dry_run && options.confirm) {
    // Everything --exact would take away is shown and confirmed once, before any write.
    RollbackOptions preview = options;
    preview.change.dry_run = true;
    results = change_each_service(context, services, preview.change, [&](size_t i) {
      return rollback_service(context, stores, *services[i], preview);
    });
    std::vector<ServiceResult> shown;
    for (size_t i = 0; i < results.size(); ++i) {
      to_write[i] = results[i].outcome == ServiceOutcome::would_change;
      if (to_write[i]) shown.push_back(results[i]);
    }
    if (!shown.empty() && !options.confirm(shown)) {
      for (size_t i = 0; i < results.size(); ++i) {
        if (!to_write[i]) continue;
        results[i].outcome = ServiceOutcome::unchanged;
        results[i].code = ExitCode::failed;
        results[i].message = "not restored: not confirmed; nothing was written";
      }
      return results;
    }
  }
  return change_each_service(context, services, options.change, [&](size_t i) {
    return to_write[i] ? rollback_service(context, stores, *services[i], options) : results[i];
  });
}

ServiceRun run_rollback(Session& session,
                        const std::vector<const config::ServiceSettings*>& services,
                        const RollbackOptions& options) {
  ServiceRun run{.dry_run = options.change.dry_run};
  ChangeAwareness splunk(session.context(), "rollback");
  if (!run.dry_run) splunk.before(services);
  run.results = rollback_services(session.context(), session.stores(), services, options);
  if (!run.dry_run) splunk.after(service_changes("rollback", run.results));
  return run;
}

}  // namespace cxtm::actions
