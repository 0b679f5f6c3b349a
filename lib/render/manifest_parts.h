#pragma once
// Who applies which of the collector's objects. The cluster-scoped ones (its Namespace,
// ClusterRole and ClusterRoleBinding) and the token Secret are an admin's, applied once: a role
// that may write them may make itself cluster-admin (create a ClusterRoleBinding, escalate and
// bind a ClusterRole) or steal a ServiceAccount token (recreate a Secret as
// kubernetes.io/service-account-token). The operator's role (examples/operator-rbac.yaml) writes
// the rest and only reads these; `collector deploy` checks them and names the admin's command.

#include <optional>
#include <string>
#include <string_view>

#include "core/json.h"

namespace cxtm::render {

// The value of the app.kubernetes.io/managed-by label on every object the tool writes.
inline constexpr std::string_view kManagedBy = "cxtm-o11y";

// Whether the object carries that label: created (or adopted) by cxtm-o11y.
bool managed_by_cxtm(const Json& object);

enum class ManifestPart {
  cluster,     // Namespace, ClusterRole, ClusterRoleBinding
  secret,      // the token Secret
  namespaced,  // ServiceAccount, ConfigMap, DaemonSet, Service: the operator's
};

ManifestPart part_of(const Json& object);

// "cluster", "secret", "namespaced"; the value of `render --part`.
std::string_view part_name(ManifestPart part);
std::optional<ManifestPart> parse_manifest_part(std::string_view name);

inline bool is_admin_part(ManifestPart part) {
  return part != ManifestPart::namespaced;
}

// The resource an access review names for an admin's object of this kind
// ("clusterroles.rbac.authorization.k8s.io"); "" for the operator's kinds.
std::string admin_resource(std::string_view kind);

// What an admin runs to apply the part: "cxtm-o11y render --part cluster | kubectl apply -f -".
// token_env: the variable the token is read from, for the Secret.
std::string admin_apply_command(ManifestPart part, std::string_view token_env);

}  // namespace cxtm::render
