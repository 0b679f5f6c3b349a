#include "render/manifest_parts.h"

#include <fmt/core.h>

namespace cxtm::render {

bool managed_by_cxtm(const Json& object) {
  const Json& labels = object_member(object_member(object, "metadata"), "labels");
  return string_member(labels, "app.kubernetes.io/managed-by") == kManagedBy;
}

ManifestPart part_of(const Json& object) {
  const std::string kind = object.value("kind", "");
  if (kind == "Namespace" || kind == "ClusterRole" || kind == "ClusterRoleBinding") {
    return ManifestPart::cluster;
  }
  return kind == "Secret" ? ManifestPart::secret : ManifestPart::namespaced;
}

std::string_view part_name(ManifestPart part) {
  switch (part) {
    case ManifestPart::cluster:
      return "cluster";
    case ManifestPart::secret:
      return "secret";
    case ManifestPart::namespaced:
      return "namespaced";
  }
  return "namespaced";
}

std::optional<ManifestPart> parse_manifest_part(std::string_view name) {
  for (const auto part : {ManifestPart::cluster, ManifestPart::secret, ManifestPart::namespaced}) {
    if (part_name(part) == name) return part;
  }
  return std::nullopt;
}

std::string admin_resource(std::string_view kind) {
  if (kind == "Namespace") return "namespaces";
  if (kind == "ClusterRole") return "clusterroles.rbac.authorization.k8s.io";
  if (kind == "ClusterRoleBinding") return "clusterrolebindings.rbac.authorization.k8s.io";
  if (kind == "Secret") return "secrets";
  return "";
}

std::string admin_apply_command(ManifestPart part, std::string_view token_env) {
  if (part == ManifestPart::secret) {
    return fmt::format(
        "{}=... cxtm-o11y render --part secret --include-secret | kubectl apply -f -", token_env);
  }
  return fmt::format("cxtm-o11y render --part {} | kubectl apply -f -", part_name(part));
}

}  // namespace cxtm::render
