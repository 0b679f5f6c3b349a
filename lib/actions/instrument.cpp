#include "actions/instrument.h"

#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>

#include "actions/change_awareness.h"
#include "actions/deployment_write.h"
#include "actions/operator_verify.h"
#include "actions/originals.h"
#include "actions/services.h"
#include "actions/session.h"
#include "actions/validate.h"
#include "core/parallel.h"
#include "core/yaml_emit.h"
#include "instrument/change_origin.h"
#include "instrument/operator_injection.h"
#include "instrument/owned.h"
#include "kube/object_diff.h"
#include "rollout/log_tails.h"

namespace cxtm::actions {
namespace {

// The original goes to both stores before the first write. An instrumented Deployment's
// original is stored already and is never replaced by an instrumented state; a store that lost
// its copy gets the other's, but the cluster's copy (which anyone who may write ConfigMaps can
// rewrite) reaches the local store only when it is the original of the live Deployment.
void back_up_original(BackupStores stores, const config::ServiceSettings& service,
                      const Json& deployment, instrument::State state, ServiceResult& result) {
  if (state != instrument::State::outdated) {
    const auto backup = backup::make_backup(service.name, instrument::strip_for_backup(deployment),
                                            backup::Role::original);
    result.backups.push_back(stores.local.save(backup));
    if (auto where = stores.cluster.save(backup); !where.empty()) result.backups.push_back(where);
    return;
  }
  const std::string namespace_ = deployment["metadata"].value("namespace", "");
  OriginalCopies copies = read_originals(stores, namespace_, service.deployment);
  for (auto& damaged : copies.damaged) result.warnings.push_back(std::move(damaged));
  if (copies.local) {
    if (!copies.cluster) {
      if (auto where = stores.cluster.save(copies.local->backup); !where.empty()) {
        result.backups.push_back(where);
      }
    }
  } else if (copies.cluster) {
    if (matches_live(copies.cluster->backup, deployment)) {
      result.backups.push_back(stores.local.save(copies.cluster->backup));
    } else {
      result.warnings.push_back(fmt::format(
          "the cluster's copy of the original ({}) was not copied to the local store: its pod "
          "template is not the live one without the tool's change (changed since instrumenting, "
          "or rewritten); rollback needs neither, rollback --exact shows it before using it",
          copies.cluster->location));
    }
  } else {
    result.warnings.push_back(
        fmt::format("no usable stored original of {}: rollback works without one (it takes out "
                    "what the tool did), rollback --exact cannot",
                    instrument::deployment_label(deployment)));
  }
}

// What a failed rollout goes back to, and how the result names it.
struct Undo {
  DeploymentChange change;
  std::string what;  // "the original", "the previous instrumentation", ...
};

// The template the write replaced, put back: the original after a first instrument, the
// previous instrumentation after an upgrade.
Undo back_to(const Json& before, instrument::State state) {
  Json template_of_before = instrument::strip_for_backup(before);
  return {[template_of_before](const Json& live) {
            return instrument::restore_deployment(live, template_of_before);
          },
          state == instrument::State::outdated ? "the previous instrumentation" : "the original"};
}

// Puts back what undo says after a failed rollout and waits for it. Returns what happened, for
// the result's message; when that fails, the command that finishes it.
std::string undo_after_failure(Context& context, const config::ServiceSettings& service,
                               const kube::ObjectRef& ref, const Undo& undo,
                               const rollout::WaitOptions& wait) {
  try {
    const auto current = context.kube.get(ref);
    if (!current) return fmt::format("the {} is gone", ref.kind);
    write_deployment(context.kube, *current, undo.change,
                     {.budget = wait.timeout, .time = &context.time});
    const auto halted = rollout::delete_halted_pods(context.kube, ref, *current);
    const std::string deleted =
        halted.empty() ? "" : fmt::format(" (deleted the halted {})", fmt::join(halted, ", "));
    const auto restored = rollout::wait_for_rollout(context.kube, ref, wait, context.reporter);
    if (restored.outcome == rollout::RolloutOutcome::complete) {
      return fmt::format("rolled back to {}{}", undo.what, deleted);
    }
    return fmt::format("rolled back to {}, whose rollout did not complete either ({})", undo.what,
                       restored.cause());
  } catch (const Error& error) {
    // Only the wait can be interrupted here: the undo is written already.
    if (error.code() == ExitCode::interrupted) {
      return fmt::format("rolled back to {} (interrupted while its pods start)", undo.what);
    }
    return fmt::format("rolling back failed too ({}); run `cxtm-o11y rollback {}`", error.what(),
                       service.name);
  }
}

// A failed instrument's message: the cause, then the undo's outcome, or with
// --no-rollback-on-failure what is left and how to undo it.
std::string after_failure(Context& context, const config::ServiceSettings& service,
                          const kube::ObjectRef& ref, const Undo& undo,
                          const InstrumentOptions& options, const std::string& cause) {
  if (options.rollback_on_failure == AutoRollback::no) {
    return fmt::format(
        "{}; left instrumented (--no-rollback-on-failure; undo with `cxtm-o11y rollback {}`)",
        cause, service.name);
  }
  return fmt::format(
      "{}; {}", cause,
      undo_after_failure(context, service, ref, undo, rollout_wait(options.change, context.time)));
}

// What to run when the tool could not tell how a rollout it started went.
std::string still_instrumented(const config::ServiceSettings& service) {
  return fmt::format(
      "it stays instrumented, the original backed up (wait again: cxtm-o11y instrument {0}; "
      "look: cxtm-o11y status {0}; undo: cxtm-o11y rollback {0})",
      service.name);
}

void wait_and_undo_on_failure(Context& context, const config::ServiceSettings& service,
                              const kube::ObjectRef& ref, const Undo& undo,
                              const InstrumentOptions& options, ServiceResult& result) {
  const rollout::WaitOptions wait = rollout_wait(options.change, context.time);
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
                    ? fmt::format("not ready after {} ({})",
                                  format_duration(options.change.timeout), rollout.last.progress)
                    : rollout.cause();
        break;
      case rollout::RolloutOutcome::gone:
        result.code = ExitCode::not_found;
        cause = ref.describe() + " disappeared";
        break;
      default:
        result.code = ExitCode::failed;
        cause = rollout.cause();
    }
    cause = "rollout failed: " + cause;
  } catch (const Error& error) {
    // Ctrl-C on a terminal also stops the kubectl the wait ran: an interruption, not a failure
    // to undo.
    if (error.code() == ExitCode::interrupted ||
        (options.change.interrupted && options.change.interrupted())) {
      throw Error(ExitCode::interrupted, "interrupted while waiting for " + ref.describe());
    }
    // A read refused while waiting says nothing about whether the new pods work.
    result.outcome = ServiceOutcome::failed;
    result.code = error.code();
    result.message = fmt::format("could not follow the rollout: {}; {}", error.what(),
                                 still_instrumented(service));
    return;
  }
  result.outcome = ServiceOutcome::failed;
  result.message = after_failure(context, service, ref, undo, options, cause);
}

// An instrumented Deployment whose rollout is still under way (a run stopped while waiting, or
// one right after another): wait for it as the run that wrote it would have.
void finish_rollout(Context& context, const config::ServiceSettings& service,
                    const kube::ObjectRef& ref, const InstrumentOptions& options,
                    ServiceResult& result) {
  context.reporter.note(
      fmt::format("{}: already instrumented with this spec; waiting for its "
                  "rollout, which is still under way",
                  service.name));
  result.outcome = ServiceOutcome::unchanged;
  result.message = "already instrumented with this spec; its rollout was under way";
  // The run that wrote it knew what came before; this one takes the tool's change out.
  const Undo undo{
      [](const Json& live) { return instrument::undo_instrumentation(live).deployment; },
      "the Deployment without the tool's change"};
  wait_and_undo_on_failure(context, service, ref, undo, options, result);
  if (result.outcome != ServiceOutcome::failed) {
    result.message += fmt::format(" and is complete now: {}", result.rollout->last.progress);
  }
}

// After the rollout of a workload the Operator injects: its pods checked for the injection
// (operator_verify.h); a workload whose pods stay uninjected is put back as a failed rollout is.
void verify_injection(Context& context, const config::ServiceSettings& service,
                      const kube::ObjectRef& ref, const std::string& app, const Undo& undo,
                      const InstrumentOptions& options, ServiceResult& result) {
  const auto check = verify_operator_injection(context, ref, app,
                                               {.budget = options.change.timeout,
                                                .poll_interval = options.change.poll_interval,
                                                .interrupted = options.change.interrupted});
  if (!check.replaced.empty()) {
    result.notes.push_back(fmt::format("replaced {}: the Operator had not injected them",
                                       fmt::join(check.replaced, ", ")));
  }
  if (check.injected) return;
  result.outcome = ServiceOutcome::failed;
  result.code = ExitCode::failed;
  const std::string cause = fmt::format(
      "the Operator did not inject {} (its webhook not running, the namespace not selected, or "
      "the Instrumentation not seen): they run untraced",
      check.skipped.empty() ? std::string("any pod")
                            : fmt::format("{}", fmt::join(check.skipped, ", ")));
  result.message = after_failure(context, service, ref, undo, options, cause);
  // Nothing left behind: the Instrumentation goes when no workload asks for it now.
  if (options.rollback_on_failure == AutoRollback::yes) {
    clean_up_instrumentation(context, ref.namespace_, result);
  }
}

// Notes a written Instrumentation in result; whether one was written.
bool record_instrumentation(const InstrumentationOutcome& outcome, ServiceResult& result) {
  if (outcome.changed) result.notes.push_back(outcome.message);
  return outcome.changed;
}

}  // namespace

void describe_change(const Json& before, const Json& after, std::string_view after_label,
                     ServiceResult& result) {
  result.diff = kube::unified_diff("live/" + result.deployment,
                                   fmt::format("{}/{}", after_label, result.deployment),
                                   to_yaml(member_at(before, {"spec", "template"})),
                                   to_yaml(member_at(after, {"spec", "template"})));
  result.patch =
      Json::diff(instrument::strip_for_backup(before), instrument::strip_for_backup(after));
}

ServiceResult instrument_service(Context& context, BackupStores stores,
                                 const config::ServiceSettings& service,
                                 const InstrumentOptions& options, OperatorSetup& operator_setup) {
  const auto ref = workload_ref(context.config, service);
  ServiceResult result{.service = service.name, .deployment = ref.namespaced_name()};
  // Ctrl-C stops what has not started and what waits, never a write half-way: a service is
  // either untouched (its backup maybe taken) or instrumented with its original backed up.
  const auto stop_if_interrupted = [&] {
    if (options.change.interrupted && options.change.interrupted()) {
      throw Error(ExitCode::interrupted, "interrupted; the Deployment was not changed");
    }
  };
  bool written = false;
  try {
    stop_if_interrupted();
    const auto deployment = context.kube.get(ref);
    if (!deployment) {
      throw Error(ExitCode::not_found, ref.describe() + " not found");
    }
    const auto spec = spec_for_workload(context.config, service, *deployment, options.injector);
    // Before the workload asks for it: a pod created while it is missing is not injected.
    const bool instrumentation_written =
        spec.injector == instrument::Injector::operator_ &&
        record_instrumentation(operator_setup.ensure(spec, ref.namespace_), result);
    const auto state = instrument::detect_state(*deployment, spec);
    if (state == instrument::State::current) {
      if (options.change.dry_run && instrumentation_written) {
        result.outcome = ServiceOutcome::would_change;
        result.message = "dry run: only the Instrumentation would change";
        return result;
      }
      if (options.change.wait && !options.change.dry_run &&
          !rollout::rollout_state(*deployment).complete) {
        finish_rollout(context, service, ref, options, result);
        return result;
      }
      result.outcome = ServiceOutcome::unchanged;
      result.message = "already instrumented with this spec (no change)";
      return result;
    }
    auto transformed =
        instrument::instrument_deployment(*deployment, spec, CXTM_VERSION, options.force);
    result.warnings = std::move(transformed.warnings);
    result.notes.insert(result.notes.end(), transformed.notes.begin(), transformed.notes.end());
    describe_change(*deployment, transformed.deployment, "instrumented", result);
    if (const auto controller = instrument::gitops_controller(*deployment); !controller.empty()) {
      result.warnings.push_back(fmt::format(
          "{} is managed by {}: its next sync takes this change out again; put it in Git "
          "with `cxtm-o11y instrument {} --output-dir DIR`",
          ref.describe(), controller, service.name));
    }
    if (options.change.dry_run) {
      result.outcome = ServiceOutcome::would_change;
      result.message = "dry run: nothing was written";
      return result;
    }
    stop_if_interrupted();
    back_up_original(stores, service, *deployment, state, result);
    stop_if_interrupted();
    const auto write = write_deployment(context.kube, *deployment,
                                        [&](const Json& live) {
                                          return instrument::instrument_deployment(
                                                     live, spec, CXTM_VERSION, options.force)
                                              .deployment;
                                        },
                                        {.budget = options.change.timeout, .time = &context.time});
    written = true;
    result.outcome = state == instrument::State::outdated ? ServiceOutcome::upgraded
                                                          : ServiceOutcome::instrumented;
    result.message = state == instrument::State::poc_partial
                         ? "instrumented (completed the POC's partial setup)"
                         : std::string(outcome_name(result.outcome));
    if (!options.change.wait) {
      result.message += "; not waiting for the rollout";
      return result;
    }
    wait_and_undo_on_failure(context, service, ref, back_to(write.before, state), options, result);
    if (result.outcome != ServiceOutcome::failed &&
        spec.injector == instrument::Injector::operator_) {
      verify_injection(context, service, ref, instrument::pick_container(*deployment, spec),
                       back_to(write.before, state), options, result);
    }
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
  OperatorSetup operator_setup(context.kube, options.change.dry_run);
  return change_each_service(context, services, options.change, [&](size_t i) {
    return instrument_service(context, stores, *services[i], options, operator_setup);
  });
}

ServiceRun run_instrument(Session& session,
                          const std::vector<const config::ServiceSettings*>& services,
                          const InstrumentOptions& options, ValidateAfter validate_after) {
  ServiceRun run{.dry_run = options.change.dry_run};
  ChangeAwareness splunk(session.context(), "instrument");
  if (!run.dry_run) splunk.before(services);
  run.results = instrument_services(session.context(), session.stores(), services, options);
  if (run.dry_run) return run;
  splunk.after(service_changes("instrument", run.results));
  const auto written = just_instrumented(services, run.results);
  if (options.change.wait && validate_after == ValidateAfter::yes && !written.empty()) {
    run.validation = run_validate(session.context(), session.validate_edges(),
                                  {.services = written,
                                   .scope = ValidateScope::services,
                                   .interrupted = options.change.interrupted});
  }
  return run;
}

}  // namespace cxtm::actions
