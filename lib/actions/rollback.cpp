#include "actions/rollback.h"

#include <fmt/core.h>

#include <optional>

#include "actions/deployment_write.h"
#include "actions/services.h"
#include "core/atomic_file.h"
#include "core/parallel.h"
#include "instrument/transform.h"

namespace cxtm::actions {
namespace {

bool instrumented_by_us(const Json& deployment) {
  const Json& metadata = deployment["metadata"];
  return metadata.contains("annotations") && metadata["annotations"].is_object() &&
         metadata["annotations"].contains(instrument::kAnnotationSpecHash);
}

// The backup file given with --from, verified. A damaged one is a bad flag value, refused with
// why and where the stored original is.
backup::StoredBackup from_file(BackupStores stores, const kube::ObjectRef& ref,
                               const std::string& path) {
  try {
    return {backup::parse_backup(read_file(path), path), path};
  } catch (const Error& error) {
    std::string other;
    try {
      std::vector<std::string> skipped;
      other = fmt::format("; the original stored at {} is usable: drop --from to restore it",
                          find_original(stores, ref.namespace_, ref.name, skipped).location);
    } catch (const Error&) {
      other = "; no usable original is stored in the cluster or locally either";
    }
    throw Error(ExitCode::usage, fmt::format("--from {}{}", error.what(), other));
  }
}

}  // namespace

backup::StoredBackup find_original(BackupStores stores, const std::string& namespace_,
                                   const std::string& deployment,
                                   std::vector<std::string>& warnings) {
  // Both copies are read, so that a damaged one is reported even when the other serves.
  std::optional<backup::StoredBackup> chosen;
  for (backup::BackupStore* store : {&stores.cluster, &stores.local}) {
    try {
      auto found = store->original(namespace_, deployment);
      if (found && !chosen) chosen = std::move(found);
    } catch (const Error& error) {
      warnings.push_back(fmt::format("{} backup {}: {}", store->name(),
                                     chosen ? "is damaged (not needed this time)" : "skipped",
                                     error.what()));
    }
  }
  if (chosen) return *chosen;
  throw Error(
      ExitCode::not_found,
      fmt::format("no usable original backup of Deployment {}/{} in the cluster or locally{}",
                  namespace_, deployment, warnings.empty() ? "" : " (" + warnings.back() + ")"));
}

ServiceResult rollback_service(Context& context, BackupStores stores,
                               const config::ServiceSettings& service,
                               const RollbackOptions& options) {
  const auto ref = deployment_ref(context.config, service);
  ServiceResult result{.service = service.name,
                       .deployment = fmt::format("{}/{}", ref.namespace_, ref.name)};
  try {
    if (options.interrupted && options.interrupted()) {
      throw Error(ExitCode::interrupted, "interrupted; the Deployment was not changed");
    }
    const auto current = context.kube.get(ref);
    if (!current)
      throw Error(ExitCode::not_found, fmt::format("Deployment {} not found", result.deployment));
    if (!instrumented_by_us(*current) && options.from_file.empty()) {
      result.outcome = ServiceOutcome::unchanged;
      result.message = "not instrumented by cxtm-o11y; nothing to roll back";
      return result;
    }
    const auto original = options.from_file.empty()
                              ? find_original(stores, ref.namespace_, ref.name, result.warnings)
                              : from_file(stores, ref, options.from_file);
    if (original.backup.deployment != ref.name || original.backup.namespace_ != ref.namespace_) {
      throw Error(ExitCode::usage, fmt::format("{} is a backup of {}/{}, not of {}",
                                               original.location, original.backup.namespace_,
                                               original.backup.deployment, result.deployment));
    }
    const Json restored = instrument::restore_deployment(*current, original.backup.object);
    describe_change(*current, restored, "restored", result);
    if (options.dry_run) {
      result.outcome = ServiceOutcome::would_change;
      result.message = fmt::format("dry run: would restore {}", original.location);
      return result;
    }
    write_deployment(context.kube, *current,
                     [&](const Json& live) {
                       return instrument::restore_deployment(live, original.backup.object);
                     },
                     {.budget = options.timeout});
    result.outcome = ServiceOutcome::rolled_back;
    result.message = fmt::format("restored from {}", original.location);
    if (!options.wait) {
      result.message += "; not waiting for the rollout";
      return result;
    }
    try {
      result.rollout = rollout::wait_for_rollout(context.kube, ref,
                                                 {.timeout = options.timeout,
                                                  .poll_interval = options.poll_interval,
                                                  .interrupted = options.interrupted},
                                                 context.reporter);
    } catch (const Error& error) {
      result.code = error.code();
      // The original is written either way: what is left is watching its pods come up.
      result.message += error.code() == ExitCode::interrupted
                            ? fmt::format(
                                  "; interrupted while its pods start (follow them: "
                                  "cxtm-o11y status {})",
                                  service.name)
                            : fmt::format("; could not follow the rollout: {}", error.what());
      return result;
    }
    if (result.rollout->outcome == rollout::RolloutOutcome::unobserved) {
      result.code = result.rollout->read_error_code;
      result.message += fmt::format(
          "; could not follow the rollout: {} (follow it: cxtm-o11y "
          "status {})",
          result.rollout->read_error, service.name);
    } else if (result.rollout->outcome != rollout::RolloutOutcome::complete) {
      result.code = result.rollout->outcome == rollout::RolloutOutcome::timed_out
                        ? ExitCode::timeout
                        : ExitCode::failed;
      result.message +=
          fmt::format("; the original's rollout did not complete: {}", result.rollout->cause());
    } else {
      result.message += fmt::format("; {}", result.rollout->last.progress);
    }
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
  context.kube.limit_request_time(options.timeout);
  std::vector<ServiceResult> results(services.size());
  for_each_parallel(
      services.size(), static_cast<size_t>(std::max(1, options.parallel)),
      [&](size_t i) { results[i] = rollback_service(context, stores, *services[i], options); });
  return results;
}

}  // namespace cxtm::actions
