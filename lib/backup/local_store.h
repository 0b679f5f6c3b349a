#pragma once
// Backups as files under <state_dir>/backups/<cluster>/<namespace>/<deployment>/: directories
// 0700, files 0600, each written to a temp file, fsynced and renamed into place.

#include <filesystem>

#include "backup/backup_store.h"

namespace cxtm::backup {

class LocalBackupStore : public BackupStore {
 public:
  // root: <state_dir>/backups/<cluster>. owned_from (default: root): the directory from which
  // down every existing directory must be the user's own, no symlink, not writable by others
  // (the state_dir); Error(usage) naming it otherwise.
  explicit LocalBackupStore(std::filesystem::path root, std::filesystem::path owned_from = {})
      : root_(std::move(root)), owned_from_(owned_from.empty() ? root_ : std::move(owned_from)) {}

  std::string name() const override { return "local"; }
  std::optional<StoredBackup> original(const std::string& namespace_,
                                       const std::string& deployment) override;
  std::string save(const WorkloadBackup& backup) override;
  std::vector<StoredBackup> list(const std::string& namespace_,
                                 const std::vector<std::string>& deployments) override;

  // <state_dir>/backups/<cluster>, with a leading "~/" in state_dir taken as the home directory
  // ($HOME when absolute, else the password database's).
  static std::filesystem::path root_for(const std::string& state_dir, const std::string& cluster);

 private:
  std::filesystem::path directory(const std::string& namespace_,
                                  const std::string& deployment) const;
  std::filesystem::path root_;
  std::filesystem::path owned_from_;
};

}  // namespace cxtm::backup
