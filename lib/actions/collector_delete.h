#pragma once
// `cxtm-o11y collector delete`: removes exactly the objects the tool created: the rendered
// objects that carry its app.kubernetes.io/managed-by label. A same-named object someone else
// made, or a token Secret the user created, stays. So do the objects an admin applied
// (render/manifest_parts.h) when the user may not delete them: they are the admin's to delete.

#include <string>
#include <vector>

#include "actions/context.h"
#include "kube/kube_client.h"

namespace cxtm::actions {

enum class DeleteOutcome { deleted, absent, not_ours, admin_only };

struct DeletedObject {
  kube::ObjectRef ref;
  DeleteOutcome outcome;
};

// Deletes in reverse apply order. dry_run: reports what would be deleted, deletes nothing.
std::vector<DeletedObject> delete_collector(Context& context, bool dry_run);

std::string_view delete_outcome_name(DeleteOutcome outcome);

}  // namespace cxtm::actions
