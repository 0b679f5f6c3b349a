#pragma once
// Who put the tool's change on a Deployment, read from what the API server records: a live
// `instrument` (written as the field manager cxtm-o11y), or a writer that applied it from Git
// (`instrument --output-dir`'s patch, synced by Argo CD or Flux, or applied with kubectl).
// Pure: Deployment JSON in.

#include <string>

#include "core/json.h"

namespace cxtm::instrument {

enum class ChangeVia {
  tool,  // the tool wrote it (or the server keeps no managedFields to tell)
  git,   // another writer owns the tool's spec-hash annotation: Git holds the change
};

struct ChangeOrigin {
  ChangeVia via = ChangeVia::tool;
  std::string writer;  // via git: "Argo CD", "Flux", "kubectl apply", or the manager's name
};

// The origin of the tool's change on deployment (which carries it), from its managedFields
// (kube::KubeClient::managed_fields).
ChangeOrigin change_origin(const Json& deployment, const Json& managed_fields);

// The GitOps controller that manages deployment by its marks (Argo CD's tracking annotation or
// label, Flux's labels): "Argo CD", "Flux", or "" for none. Such a Deployment reverts to Git at
// the next sync: a live change does not last.
std::string gitops_controller(const Json& deployment);

}  // namespace cxtm::instrument
