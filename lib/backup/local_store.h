#pragma once
// Backups as files under <state_dir>/backups/<cluster>/<namespace>/<deployment>/: directories
// 0700, files 0600, each written to a temp file, fsynced and renamed into place.

#include <filesystem>

#include "backup/backup_store.h"

namespace cxtm::backup {

class LocalBackupStore : public BackupStore {
 public:
  // root: <state_dir>/backups/<cluster>.
  explicit LocalBackupStore(std::filesystem::path root) : root_(std::move(root)) {}

  std::string name() const override { return "local"; }
  std::optional<StoredBackup> original(const std::string& namespace_,
                                       const std::string& deployment) override;
  std::string save(const DeploymentBackup& backup) override;
  std::vector<StoredBackup> list(const std::string& namespace_) override;

  // <state_dir>/backups/<cluster>, with a leading "~/" in state_dir taken as $HOME.
  static std::filesystem::path root_for(const std::string& state_dir, const std::string& cluster);

 private:
  std::filesystem::path directory(const std::string& namespace_,
                                  const std::string& deployment) const;
  std::filesystem::path root_;
};

}  // namespace cxtm::backup
