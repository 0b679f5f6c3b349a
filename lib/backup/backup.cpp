#include "backup/backup.h"

#include <fmt/core.h>

#include <chrono>
#include <ctime>

#include "core/digest.h"
#include "core/error.h"

namespace cxtm::backup {
namespace {

constexpr std::string_view kApiVersion = "cxtm-o11y.io/v1";
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

// A string field of the document; "" when it is missing or not a string (a foreign document).
std::string text_field(const Json& document, const char* key) {
  const auto found = document.find(key);
  return found != document.end() && found->is_string() ? found->get<std::string>() : "";
}

}  // namespace

std::string_view role_name(Role role) {
  return role == Role::original ? "original" : "snapshot";
}

Json DeploymentBackup::to_json() const {
  return Json{{"apiVersion", kApiVersion}, {"kind", kKind},
              {"service", service},        {"namespace", namespace_},
              {"deployment", deployment},  {"role", role_name(role)},
              {"createdAt", created_at},   {"toolVersion", tool_version},
              {"sha256", sha256},          {"object", object}};
}

kube::ObjectRef DeploymentBackup::ref() const {
  return {text_field(object, "apiVersion"), text_field(object, "kind"), namespace_, deployment};
}

DeploymentBackup make_backup(const std::string& service, const Json& object, Role role) {
  const Json& metadata = object.at("metadata");
  return DeploymentBackup{.service = service,
                          .namespace_ = metadata.value("namespace", ""),
                          .deployment = metadata.value("name", ""),
                          .role = role,
                          .created_at = utc_now(),
                          .tool_version = CXTM_VERSION,
                          .object = object,
                          .sha256 = sha256_hex(object.dump())};
}

DeploymentBackup parse_backup(std::string_view text, std::string_view source) {
  Json document;
  try {
    document = Json::parse(text);
  } catch (const Json::exception&) {  // parse_error, or out_of_range for a number like 6e70920
    refuse(source, "it is not JSON (truncated or corrupted?)");
  }
  if (!document.is_object() || text_field(document, "apiVersion") != kApiVersion ||
      text_field(document, "kind") != kKind) {
    refuse(source, fmt::format("it is not a {} {} document", kApiVersion, kKind));
  }
  const Json& object = document.contains("object") ? document["object"] : Json();
  if (!object.is_object() || text_field(object, "kind") != "Deployment") {
    refuse(source, "it holds no Deployment");
  }
  const std::string expected = text_field(document, "sha256");
  if (expected != sha256_hex(object.dump())) {
    refuse(source,
           "its sha256 does not match its content (changed or cut short since it was taken)");
  }
  const std::string role = text_field(document, "role");
  if (role != "original" && role != "snapshot") refuse(source, "unknown role '" + role + "'");
  return DeploymentBackup{.service = text_field(document, "service"),
                          .namespace_ = text_field(document, "namespace"),
                          .deployment = text_field(document, "deployment"),
                          .role = role == "original" ? Role::original : Role::snapshot,
                          .created_at = text_field(document, "createdAt"),
                          .tool_version = text_field(document, "toolVersion"),
                          .object = object,
                          .sha256 = expected};
}

}  // namespace cxtm::backup
