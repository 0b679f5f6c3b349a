#pragma once
// The two stored copies of a Deployment's original, and which one may be trusted for what.
// The local copy (0600, in the operator's own directory) is preferred; the cluster's copy sits
// in a ConfigMap anyone who may write ConfigMaps in the namespace can rewrite, sha256 included,
// so it is used only where it is shown first or checked against the live Deployment.

#include <optional>
#include <string>
#include <vector>

#include "actions/instrument.h"
#include "backup/backup_store.h"

namespace cxtm::actions {

struct OriginalCopies {
  std::optional<backup::StoredBackup> local;
  std::optional<backup::StoredBackup> cluster;
  std::vector<std::string> damaged;  // "<store> backup skipped: <why>", one per unusable copy
};

// Both copies of namespace/deployment's original, each verified; a damaged one is named.
OriginalCopies read_originals(BackupStores stores, const std::string& namespace_,
                              const std::string& deployment);

// The original for `rollback --exact`: the local copy, else the cluster's copy marked
// unverified. Error(not_found) when neither is usable.
struct ExactOriginal {
  backup::StoredBackup stored;
  bool verified = true;       // false: the cluster's copy alone, which nothing vouches for
  std::string copies_differ;  // the diff of the two copies' pod templates when they differ:
                              // --exact refuses then
};
ExactOriginal original_for_exact(const OriginalCopies& copies, const std::string& namespace_,
                                 const std::string& deployment);

// The original to show (`backup show`): the local copy, else the cluster's. Error(not_found)
// when neither is usable; damaged copies are added to warnings.
backup::StoredBackup find_original(BackupStores stores, const std::string& namespace_,
                                   const std::string& deployment,
                                   std::vector<std::string>& warnings);

// Pure: whether a cluster copy is the original of `live`: its pod template equals the live
// one with the tool's change taken out (undo_instrumentation). A copy that fails this is never
// copied into the local store.
bool matches_live(const backup::WorkloadBackup& original, const Json& live);

// From now on the services' originals are read from both stores with one bulk read of the
// cluster's (BackupStore::read_in_bulk); one service is read as it is.
void read_originals_in_bulk(const config::Config& config, BackupStores stores,
                            const std::vector<const config::ServiceSettings*>& services);

}  // namespace cxtm::actions
