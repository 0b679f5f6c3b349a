#pragma once
// One backup of a workload (Deployment, StatefulSet, DaemonSet): the object as it was, who took
// it and when, and a sha256 that proves it was not changed or cut short since. Pure: JSON in,
// JSON out.

#include <optional>
#include <string>
#include <string_view>

#include "core/json.h"
#include "kube/object_ref.h"

namespace cxtm::backup {

enum class Role { original, snapshot };

struct WorkloadBackup {
  std::string service;
  std::string namespace_;
  std::string deployment;
  Role role = Role::original;
  std::string created_at;  // RFC 3339, UTC
  std::string tool_version;
  Json object;         // stripped of status and server-owned metadata
  std::string sha256;  // of object.dump()

  // The document stored in files and ConfigMaps.
  Json to_json() const;
  // The workload it is a backup of.
  kube::ObjectRef ref() const;
};

// The name the original is stored under, as a file and as a ConfigMap key.
inline constexpr std::string_view kOriginalName = "original.json";

// The name backup is stored under in either store: kOriginalName, or for a snapshot
// "snapshot-<createdAt without ':' and '-'>.json" ("snapshot-20250101T100000Z.json").
std::string stored_name(const WorkloadBackup& backup);

// A new backup of object, with its checksum and the current time.
WorkloadBackup make_backup(const std::string& service, const Json& object, Role role);

// Parses and verifies a stored document. Throws Error(failed) naming `source` when it is not
// JSON, not a backup document, truncated, or its sha256 does not match its object.
WorkloadBackup parse_backup(std::string_view text, std::string_view source);

std::string_view role_name(Role role);

}  // namespace cxtm::backup
