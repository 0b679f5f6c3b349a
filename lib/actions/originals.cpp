#include "actions/originals.h"

#include <fmt/core.h>

#include <map>

#include "actions/services.h"
#include "core/yaml_emit.h"
#include "instrument/owned.h"
#include "instrument/transform.h"
#include "kube/object_diff.h"

namespace cxtm::actions {
namespace {

std::string no_usable_original(const std::string& namespace_, const std::string& deployment,
                               const std::vector<std::string>& damaged) {
  const kube::ObjectRef ref{"apps/v1", "Deployment", namespace_, deployment};
  return fmt::format("no usable original backup of {} locally or in the cluster{}", ref.describe(),
                     damaged.empty() ? "" : " (" + damaged.back() + ")");
}

}  // namespace

OriginalCopies read_originals(BackupStores stores, const std::string& namespace_,
                              const std::string& deployment) {
  OriginalCopies copies;
  for (auto [store, copy] :
       {std::pair{&stores.local, &copies.local}, std::pair{&stores.cluster, &copies.cluster}}) {
    try {
      *copy = store->original(namespace_, deployment);
    } catch (const Error& error) {
      copies.damaged.push_back(fmt::format("{} backup skipped: {}", store->name(), error.what()));
    }
  }
  return copies;
}

ExactOriginal original_for_exact(const OriginalCopies& copies, const std::string& namespace_,
                                 const std::string& deployment) {
  if (copies.local) {
    ExactOriginal chosen{*copies.local, true, ""};
    if (copies.cluster &&
        !same_json(member_at(copies.local->backup.object, {"spec", "template"}),
                   member_at(copies.cluster->backup.object, {"spec", "template"}))) {
      chosen.copies_differ = kube::unified_diff(
          copies.local->location, copies.cluster->location,
          to_yaml(member_at(copies.local->backup.object, {"spec", "template"})),
          to_yaml(member_at(copies.cluster->backup.object, {"spec", "template"})));
    }
    return chosen;
  }
  if (copies.cluster) return {*copies.cluster, false, ""};
  throw Error(ExitCode::not_found, no_usable_original(namespace_, deployment, copies.damaged));
}

backup::StoredBackup find_original(BackupStores stores, const std::string& namespace_,
                                   const std::string& deployment,
                                   std::vector<std::string>& warnings) {
  OriginalCopies copies = read_originals(stores, namespace_, deployment);
  for (const auto& damaged : copies.damaged) warnings.push_back(damaged);
  if (copies.local) return *copies.local;
  if (copies.cluster) return *copies.cluster;
  throw Error(ExitCode::not_found, no_usable_original(namespace_, deployment, copies.damaged));
}

bool matches_live(const backup::WorkloadBackup& original, const Json& live) {
  return same_json(
      member_at(original.object, {"spec", "template"}),
      member_at(instrument::undo_instrumentation(live).deployment, {"spec", "template"}));
}

void read_originals_in_bulk(const config::Config& config, BackupStores stores,
                            const std::vector<const config::ServiceSettings*>& services) {
  if (services.size() < 2) return;
  std::map<std::string, std::vector<std::string>> names;  // by namespace
  for (const auto* service : services) {
    const auto ref = workload_ref(config, *service);
    names[ref.namespace_].push_back(ref.name);
  }
  for (const auto& [namespace_, deployments] : names) {
    stores.cluster.read_in_bulk(namespace_, deployments);
  }
}

}  // namespace cxtm::actions
