#pragma once
// The collector's objects compared with the cluster: what `collector deploy` would change.
// Read-only: the API server's dry run computes each proposed object.

#include <optional>
#include <string>
#include <vector>

#include "actions/context.h"
#include "core/json.h"
#include "kube/kube_client.h"
#include "render/manifests.h"

namespace cxtm::actions {

enum class Change { created, configured, unchanged };

// "created", "configured", "unchanged" (kubectl's words).
std::string_view change_name(Change change);

struct PlannedObject {
  kube::ObjectRef ref;
  Json desired;              // as rendered
  std::optional<Json> live;  // as stored now; nullopt when absent
  Change change = Change::unchanged;
  std::string diff;  // unified YAML diff, live → proposed; "" when unchanged
  // A Namespace that was there before, not created by cxtm-o11y: used as it is, never labelled,
  // never deleted.
  bool foreign_namespace = false;
};

struct PlanOptions {
  // Take over same-named objects another installation created (no managed-by label of ours).
  bool adopt = false;
};

struct CollectorPlan {
  render::CollectorManifests manifests;
  bool token_supplied = false;
  // The collector's namespace is being deleted: its objects count as absent, to be created
  // once it is gone.
  bool namespace_terminating = false;
  std::vector<PlannedObject> objects;  // in apply order

  bool changes_anything() const;
};

// Renders, lints (Error failed on lint errors), checks that the token Secret exists when no
// token is supplied (Error not_found), and compares every object with the cluster. Refuses,
// before anything is written: same-named objects that are not ours, unless adopt (Error
// conflict); an admin's object (render/manifest_parts.h) missing or different when the user may
// not write it (Error forbidden, naming the admin's command). An admin's object already as
// rendered is compared without a dry run, so the operator needs no write access to it.
CollectorPlan plan_collector(Context& context, const PlanOptions& options = {});

}  // namespace cxtm::actions
