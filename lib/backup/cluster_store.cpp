#include "backup/cluster_store.h"

#include <fmt/core.h>

#include <algorithm>
#include <iterator>

#include "core/digest.h"
#include "core/error.h"
#include "core/parallel.h"

namespace cxtm::backup {
namespace {

constexpr std::string_view kPrefix = "cxtm-o11y-backup-";
// The field manager that owns original.json (and only it among the data keys).
constexpr std::string_view kOriginalManager = "cxtm-o11y-original";
constexpr std::string_view kRoleLabel = "cxtm-o11y.io/role";
constexpr std::string_view kBackupOfLabel = "cxtm-o11y.io/backup-of";

// Label values stop at 63 characters; longer Deployment names are shortened with a hash.
std::string label_value(const std::string& deployment) {
  if (deployment.size() <= 63) return deployment;
  return deployment.substr(0, 46) + "-" + sha256_hex(deployment).substr(0, 16);
}

// Where a stored document is, for messages: "configmap/<ns>/<name>:<key>".
std::string location(std::string_view namespace_, std::string_view configmap,
                     std::string_view key) {
  return fmt::format("configmap/{}/{}:{}", namespace_, configmap, key);
}

Json new_configmap(const kube::ObjectRef& ref, const std::string& deployment) {
  return Json{{"apiVersion", "v1"},
              {"kind", "ConfigMap"},
              {"metadata",
               {{"name", ref.name},
                {"namespace", ref.namespace_},
                {"labels",
                 {{"app.kubernetes.io/managed-by", "cxtm-o11y"},
                  {kRoleLabel, "backup"},
                  {kBackupOfLabel, label_value(deployment)}}}}},
              {"data", Json::object()}};
}

// The named ConfigMaps that exist, read by name (the operator's role has no list). kubectl reads
// the names of one run one after the other, each ~40 ms apart: a fleet's go in a few runs side
// by side.
std::vector<Json> read_by_name(kube::KubeClient& kube, const std::string& namespace_,
                               const std::vector<std::string>& names) {
  constexpr size_t kRuns = 4;
  const size_t runs = std::min(kRuns, std::max<size_t>(1, names.size()));
  const size_t per_run = (names.size() + runs - 1) / runs;
  std::vector<std::vector<Json>> found(runs);
  for_each_parallel(runs, runs, [&](size_t run) {
    const size_t first = run * per_run;
    const size_t last = std::min(names.size(), first + per_run);
    if (first >= last) return;
    found[run] = kube.get_named("configmaps", namespace_,
                                std::vector<std::string>(names.begin() + static_cast<long>(first),
                                                         names.begin() + static_cast<long>(last)));
  });
  std::vector<Json> all;
  for (auto& part : found) std::move(part.begin(), part.end(), std::back_inserter(all));
  return all;
}

}  // namespace

kube::ObjectRef ClusterBackupStore::configmap_for(const std::string& namespace_,
                                                  const std::string& deployment) {
  std::string name = std::string(kPrefix) + deployment;
  if (name.size() > 253) name = name.substr(0, 236) + "-" + sha256_hex(deployment).substr(0, 16);
  return {"v1", "ConfigMap", namespace_, name};
}

void ClusterBackupStore::read_in_bulk(const std::string& namespace_,
                                      const std::vector<std::string>& deployments) {
  std::vector<std::string> names;
  for (const auto& deployment : deployments)
    names.push_back(configmap_for(namespace_, deployment).name);
  std::map<std::string, std::optional<Json>> read;
  for (const auto& name : names) read[namespace_ + "/" + name] = std::nullopt;
  try {
    for (Json& configmap : read_by_name(kube_, namespace_, names)) {
      const std::string name = configmap["metadata"].value("name", "");
      read[namespace_ + "/" + name] = std::move(configmap);
    }
  } catch (const Error&) {
    return;  // each is read by itself, which names what is wrong where it matters
  }
  std::lock_guard lock(mutex_);
  bulk_.merge(read);
}

std::optional<std::optional<Json>> ClusterBackupStore::read_before(const kube::ObjectRef& ref) {
  std::lock_guard lock(mutex_);
  const auto found = bulk_.find(ref.namespace_ + "/" + ref.name);
  if (found == bulk_.end()) return std::nullopt;
  return found->second;
}

std::optional<StoredBackup> ClusterBackupStore::original(const std::string& namespace_,
                                                         const std::string& deployment) {
  const auto ref = configmap_for(namespace_, deployment);
  const auto before = read_before(ref);
  const Json configmap = (before ? *before : kube_.get(ref)).value_or(Json());
  const Json& document = member_at(configmap, {"data", kOriginalName});
  if (document.is_null()) return std::nullopt;
  const std::string where = location(namespace_, ref.name, kOriginalName);
  return StoredBackup{parse_backup(document.get<std::string>(), where), where};
}

std::string ClusterBackupStore::save(const WorkloadBackup& backup) {
  const auto ref = configmap_for(backup.namespace_, backup.deployment);
  const std::string key = stored_name(backup);
  const std::string document = backup.to_json().dump(2) + "\n";
  {
    std::lock_guard lock(mutex_);
    bulk_.erase(ref.namespace_ + "/" + ref.name);  // read again after the write
  }
  if (backup.role == Role::original) {
    // One apply, no read: the original's key is this field manager's alone, so the apply adds
    // or replaces it and leaves the snapshots (written by the tool's other writes) as they are.
    Json configmap = new_configmap(ref, backup.deployment);
    configmap["data"][key] = document;
    kube_.apply(configmap, kube::DryRun::none, kOriginalManager);
    return location(backup.namespace_, ref.name, key);
  }
  const auto existing = kube_.get(ref);
  if (!existing) {
    Json configmap = new_configmap(ref, backup.deployment);
    configmap["data"][key] = document;
    kube_.apply(configmap, kube::DryRun::none, kube::kFieldManager);
  } else {
    Json configmap = *existing;
    if (!member(configmap, "data").is_object()) configmap["data"] = Json::object();
    configmap["data"][key] = document;
    kube_.replace(configmap);  // resourceVersion from the read: a concurrent writer is a conflict
  }
  return location(backup.namespace_, ref.name, key);
}

std::vector<StoredBackup> ClusterBackupStore::list(const std::string& namespace_,
                                                   const std::vector<std::string>& deployments) {
  std::vector<StoredBackup> result;
  std::vector<std::string> names;
  for (const auto& deployment : deployments) {
    names.push_back(configmap_for(namespace_, deployment).name);
  }
  for (const Json& configmap : read_by_name(kube_, namespace_, names)) {
    // A same-named ConfigMap someone else made is no backup of ours.
    const Json& labels = object_member(object_member(configmap, "metadata"), "labels");
    if (string_member(labels, std::string(kRoleLabel)) != "backup") continue;
    const Json& data = member(configmap, "data");
    if (!data.is_object()) continue;
    const std::string ns = configmap["metadata"].value("namespace", namespace_);
    const std::string name = configmap["metadata"].value("name", "");
    for (const auto& [key, value] : data.items()) {
      const std::string where = location(ns, name, key);
      try {
        result.push_back({parse_backup(value.get<std::string>(), where), where});
      } catch (const Error&) {
        // As in the local store: damaged entries are refused when used, not listed.
      }
    }
  }
  return result;
}

}  // namespace cxtm::backup
