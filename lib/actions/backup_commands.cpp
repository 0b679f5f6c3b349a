#include "actions/backup_commands.h"

#include <fmt/core.h>

#include "actions/originals.h"
#include "actions/services.h"
#include "instrument/transform.h"

namespace cxtm::actions {

std::vector<ListedBackup> list_backups(Context& context, BackupStores stores) {
  std::vector<ListedBackup> listed;
  for (const auto& namespace_ : context.config.service_namespaces()) {
    std::vector<std::string> deployments;
    for (const auto& service : context.config.services) {
      const auto ref = workload_ref(context.config, service);
      if (ref.namespace_ == namespace_) deployments.push_back(ref.name);
    }
    for (backup::BackupStore* store : {&stores.cluster, &stores.local}) {
      for (auto& stored : store->list(namespace_, deployments)) {
        listed.push_back({store->name(), stored});
      }
    }
  }
  return listed;
}

backup::StoredBackup show_backup(Context& context, BackupStores stores,
                                 const config::ServiceSettings& service,
                                 std::vector<std::string>& warnings) {
  const auto ref = workload_ref(context.config, service);
  return find_original(stores, ref.namespace_, ref.name, warnings);
}

std::vector<std::string> create_backup(Context& context, BackupStores stores,
                                       const config::ServiceSettings& service) {
  const auto ref = workload_ref(context.config, service);
  const auto deployment = context.kube.get(ref);
  if (!deployment) {
    throw Error(ExitCode::not_found,
                fmt::format("service {}: {} not found", service.name, ref.describe()));
  }
  const auto snapshot = backup::make_backup(service.name, instrument::strip_for_backup(*deployment),
                                            backup::Role::snapshot);
  std::vector<std::string> written = {stores.local.save(snapshot)};
  if (auto where = stores.cluster.save(snapshot); !where.empty()) written.push_back(where);
  return written;
}

}  // namespace cxtm::actions
