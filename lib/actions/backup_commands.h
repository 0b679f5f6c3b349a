#pragma once
// `cxtm-o11y backup list | show SERVICE | create SERVICE`.

#include <string>
#include <vector>

#include "actions/context.h"
#include "actions/instrument.h"
#include "backup/backup_store.h"

namespace cxtm::actions {

struct ListedBackup {
  std::string store;  // local | cluster
  backup::StoredBackup stored;
};

// Every verified backup in both stores for the config's namespace.
std::vector<ListedBackup> list_backups(Context& context, BackupStores stores);

// The original backup of a service (cluster copy first).
backup::StoredBackup show_backup(Context& context, BackupStores stores,
                                 const config::ServiceSettings& service,
                                 std::vector<std::string>& warnings);

// A snapshot of the service's Deployment as it is now, kept beside the original in both
// stores. Returns the locations written.
std::vector<std::string> create_backup(Context& context, BackupStores stores,
                                       const config::ServiceSettings& service);

}  // namespace cxtm::actions
