#pragma once
// Where backups live. Two stores hold every backup: a local directory (this machine) and a
// ConfigMap beside the Deployment (so a rollback works from any machine or CI runner).

#include <optional>
#include <string>
#include <vector>

#include "backup/backup.h"

namespace cxtm::backup {

struct StoredBackup {
  WorkloadBackup backup;
  std::string location;  // a path, or "configmap/<ns>/<name>:<key>"
};

class BackupStore {
 public:
  virtual ~BackupStore() = default;
  // "local" or "cluster", for messages.
  virtual std::string name() const = 0;
  // The original backup of namespace/deployment, verified; nullopt when there is none.
  // Throws Error(failed) when one exists but fails verification.
  virtual std::optional<StoredBackup> original(const std::string& namespace_,
                                               const std::string& deployment) = 0;
  // Stores backup (original: replaces the stored original; snapshot: adds beside it) and says
  // where; "" when this store keeps nothing (backup.cluster_copy: false).
  virtual std::string save(const WorkloadBackup& backup) = 0;
  // Every backup in the store of these Deployments of namespace_, unverified ones left out. By
  // name, not by a listing of the namespace: the operator's role reads ConfigMaps by name only.
  virtual std::vector<StoredBackup> list(const std::string& namespace_,
                                         const std::vector<std::string>& deployments) = 0;
  // Later reads of these Deployments' originals may come from one read of them all (a fleet's
  // status or rollback); a store that reads cheaply ignores it.
  virtual void read_in_bulk(const std::string& namespace_,
                            const std::vector<std::string>& deployments) {
    (void)namespace_;
    (void)deployments;
  }
};

}  // namespace cxtm::backup
