#include "backup/backup.h"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <ctime>

#include "config/config.h"
#include "core/digest.h"
#include "core/error.h"

namespace cxtm::backup {
namespace {

constexpr std::string_view kApiVersion = "cxtm-o11y.io/v1";
// The stored documents' kind, from before StatefulSets and DaemonSets were backed up too: kept,
// so that backups already in files and ConfigMaps still read.
constexpr std::string_view kKind = "DeploymentBackup";

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

[[noreturn]] void refuse(std::string_view source, std::string_view why) {
  throw Error(ExitCode::failed, fmt::format("{}: not a usable backup: {}", source, why));
}

}  // namespace

std::string_view role_name(Role role) {
  return role == Role::original ? "original" : "snapshot";
}

Json WorkloadBackup::to_json() const {
  return Json{{"apiVersion", kApiVersion}, {"kind", kKind},
              {"service", service},        {"namespace", namespace_},
              {"deployment", deployment},  {"role", role_name(role)},
              {"createdAt", created_at},   {"toolVersion", tool_version},
              {"sha256", sha256},          {"object", object}};
}

kube::ObjectRef WorkloadBackup::ref() const {
  return {string_member(object, "apiVersion"), string_member(object, "kind"), namespace_,
          deployment};
}

std::string stored_name(const WorkloadBackup& backup) {
  if (backup.role == Role::original) return std::string(kOriginalName);
  std::string stamp = backup.created_at;
  std::erase_if(stamp, [](char c) { return c == ':' || c == '-'; });
  return fmt::format("snapshot-{}.json", stamp);
}

WorkloadBackup make_backup(const std::string& service, const Json& object, Role role) {
  const Json& metadata = object.at("metadata");
  return WorkloadBackup{.service = service,
                        .namespace_ = metadata.value("namespace", ""),
                        .deployment = metadata.value("name", ""),
                        .role = role,
                        .created_at = utc_now(),
                        .tool_version = CXTM_VERSION,
                        .object = object,
                        .sha256 = sha256_hex(object.dump())};
}

WorkloadBackup parse_backup(std::string_view text, std::string_view source) {
  Json document;
  try {
    document = Json::parse(text);
  } catch (const Json::exception&) {  // parse_error, or out_of_range for a number like 6e70920
    refuse(source, "it is not JSON (truncated or corrupted?)");
  }
  if (!document.is_object() || string_member(document, "apiVersion") != kApiVersion ||
      string_member(document, "kind") != kKind) {
    refuse(source, fmt::format("it is not a {} {} document", kApiVersion, kKind));
  }
  const Json& object = member(document, "object");
  const std::string kind = object.is_object() ? string_member(object, "kind") : "";
  if (std::find(config::kWorkloadKinds.begin(), config::kWorkloadKinds.end(), kind) ==
      config::kWorkloadKinds.end()) {
    refuse(source, "it holds no workload (Deployment, StatefulSet or DaemonSet)");
  }
  const std::string expected = string_member(document, "sha256");
  if (expected != sha256_hex(object.dump())) {
    refuse(source,
           "its sha256 does not match its content (changed or cut short since it was taken)");
  }
  const std::string role = string_member(document, "role");
  if (role != "original" && role != "snapshot") refuse(source, "unknown role '" + role + "'");
  return WorkloadBackup{.service = string_member(document, "service"),
                        .namespace_ = string_member(document, "namespace"),
                        .deployment = string_member(document, "deployment"),
                        .role = role == "original" ? Role::original : Role::snapshot,
                        .created_at = string_member(document, "createdAt"),
                        .tool_version = string_member(document, "toolVersion"),
                        .object = object,
                        .sha256 = expected};
}

}  // namespace cxtm::backup
