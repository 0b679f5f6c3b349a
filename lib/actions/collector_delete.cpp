#include "actions/collector_delete.h"

#include "render/manifest_parts.h"
#include "render/manifests.h"

namespace cxtm::actions {
std::string_view delete_outcome_name(DeleteOutcome outcome) {
  switch (outcome) {
    case DeleteOutcome::deleted:
      return "deleted";
    case DeleteOutcome::absent:
      return "absent";
    case DeleteOutcome::not_ours:
      return "kept (not created by cxtm-o11y)";
    case DeleteOutcome::admin_only:
      return "kept (an admin's to delete)";
  }
  return "";
}

namespace {

// The admin's objects among those about to be deleted that the user may not delete: one access
// review for all.
std::vector<bool> out_of_reach(Context& context, const std::vector<DeletedObject>& objects) {
  std::vector<kube::AccessQuery> queries;
  std::vector<std::size_t> asked;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    const auto& [ref, outcome] = objects[i];
    std::string resource = render::admin_resource(ref.kind);
    if (outcome != DeleteOutcome::deleted || resource.empty()) continue;
    queries.push_back({.verb = "delete",
                       .resource = std::move(resource),
                       .namespace_ = ref.namespace_,
                       .name = ref.name});
    asked.push_back(i);
  }
  std::vector<bool> denied(objects.size(), false);
  if (queries.empty()) return denied;
  const std::vector<bool> allowed = context.kube.can_i(queries);
  for (std::size_t i = 0; i < asked.size(); ++i) denied[asked[i]] = !allowed[i];
  return denied;
}

}  // namespace

std::vector<DeletedObject> delete_collector(Context& context, bool dry_run) {
  // A placeholder token makes the Secret part of the set; only its name matters here.
  const auto manifests = render::render_manifests(context.config, std::string("unused"));
  std::vector<DeletedObject> results;
  for (auto it = manifests.objects.rbegin(); it != manifests.objects.rend(); ++it) {
    const auto ref = kube::ObjectRef::of(it->object);
    const auto live = context.kube.get(ref);
    results.push_back({ref, !live                             ? DeleteOutcome::absent
                            : !render::managed_by_cxtm(*live) ? DeleteOutcome::not_ours
                                                              : DeleteOutcome::deleted});
  }
  const std::vector<bool> admin_only = out_of_reach(context, results);
  for (std::size_t i = 0; i < results.size(); ++i) {
    auto& [ref, outcome] = results[i];
    if (admin_only[i]) outcome = DeleteOutcome::admin_only;
    if (outcome == DeleteOutcome::deleted && !dry_run && !context.kube.remove(ref)) {
      outcome = DeleteOutcome::absent;  // someone else deleted it meanwhile
    }
  }
  return results;
}

}  // namespace cxtm::actions
