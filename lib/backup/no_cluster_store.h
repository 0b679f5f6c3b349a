#pragma once
// The cluster store when `backup.cluster_copy` is false: nothing is kept in a ConfigMap (the
// originals, literal env values and all, stay on this machine) and nothing is found there.

#include "backup/backup_store.h"

namespace cxtm::backup {

class NoClusterStore : public BackupStore {
 public:
  std::string name() const override { return "cluster"; }
  std::optional<StoredBackup> original(const std::string&, const std::string&) override {
    return std::nullopt;
  }
  // "": nothing stored, nothing to name.
  std::string save(const WorkloadBackup&) override { return ""; }
  std::vector<StoredBackup> list(const std::string&, const std::vector<std::string>&) override {
    return {};
  }
};

}  // namespace cxtm::backup
