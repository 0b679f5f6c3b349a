#include "actions/collector_delete.h"

#include "render/manifests.h"

namespace cxtm::actions {
namespace {

bool managed_by_us(const Json& object) {
  const Json& metadata = object["metadata"];
  if (!metadata.contains("labels") || !metadata["labels"].is_object()) return false;
  return metadata["labels"].value("app.kubernetes.io/managed-by", "") == "cxtm-o11y";
}

}  // namespace

std::string_view delete_outcome_name(DeleteOutcome outcome) {
  switch (outcome) {
    case DeleteOutcome::deleted:
      return "deleted";
    case DeleteOutcome::absent:
      return "absent";
    case DeleteOutcome::not_ours:
      return "kept (not created by cxtm-o11y)";
  }
  return "";
}

std::vector<DeletedObject> delete_collector(Context& context, bool dry_run) {
  // A placeholder token makes the Secret part of the set; only its name matters here.
  const auto manifests = render::render_manifests(context.config, std::string("unused"));
  std::vector<DeletedObject> results;
  for (auto it = manifests.objects.rbegin(); it != manifests.objects.rend(); ++it) {
    const auto ref = kube::ObjectRef::of(it->object);
    const auto live = context.kube.get(ref);
    DeleteOutcome outcome = !live                   ? DeleteOutcome::absent
                            : !managed_by_us(*live) ? DeleteOutcome::not_ours
                                                    : DeleteOutcome::deleted;
    if (outcome == DeleteOutcome::deleted && !dry_run && !context.kube.remove(ref)) {
      outcome = DeleteOutcome::absent;  // someone else deleted it meanwhile
    }
    results.push_back({ref, outcome});
  }
  return results;
}

}  // namespace cxtm::actions
