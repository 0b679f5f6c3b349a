#pragma once
// Backups in the cluster: one ConfigMap per Deployment, "cxtm-o11y-backup-<deployment>", in
// the Deployment's namespace, labelled as ours. Key original.json holds the original,
// snapshot-<time>.json keys the explicit snapshots; each document carries its sha256.

#include <map>
#include <mutex>
#include <optional>

#include "backup/backup_store.h"
#include "kube/kube_client.h"

namespace cxtm::backup {

class ClusterBackupStore : public BackupStore {
 public:
  explicit ClusterBackupStore(kube::KubeClient& kube) : kube_(kube) {}

  std::string name() const override { return "cluster"; }
  std::optional<StoredBackup> original(const std::string& namespace_,
                                       const std::string& deployment) override;
  std::string save(const WorkloadBackup& backup) override;
  std::vector<StoredBackup> list(const std::string& namespace_,
                                 const std::vector<std::string>& deployments) override;
  // One kubectl reading every ConfigMap by name (get_named); original() answers from it until
  // the Deployment's backup is saved again.
  void read_in_bulk(const std::string& namespace_,
                    const std::vector<std::string>& deployments) override;

  // The ConfigMap that holds deployment's backups.
  static kube::ObjectRef configmap_for(const std::string& namespace_,
                                       const std::string& deployment);

 private:
  // The ConfigMap of namespace/name as read in bulk (nullopt: it did not exist), if it was.
  std::optional<std::optional<Json>> read_before(const kube::ObjectRef& ref);

  kube::KubeClient& kube_;
  std::mutex mutex_;
  std::map<std::string, std::optional<Json>> bulk_;  // "namespace/name" → as read
};

}  // namespace cxtm::backup
