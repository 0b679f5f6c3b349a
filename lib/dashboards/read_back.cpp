#include "dashboards/read_back.h"

#include "dashboards/plan.h"

namespace cxtm::dashboards {

std::optional<ExistingObject> pick_created(const std::vector<Json>& candidates,
                                           const std::string& name, const Json& sent,
                                           const std::set<std::string>& known_ids) {
  const Json* newest = nullptr;
  for (const Json& candidate : candidates) {
    if (!member(candidate, "id").is_string()) continue;
    if (candidate.value("name", "") != name) continue;
    if (known_ids.contains(candidate["id"].get<std::string>())) continue;
    if (!holds_fields(candidate, sent)) continue;
    if (newest == nullptr ||
        integer_member(candidate, "created") >= integer_member(*newest, "created")) {
      newest = &candidate;
    }
  }
  if (newest == nullptr) return std::nullopt;
  return ExistingObject{(*newest)["id"].get<std::string>(), *newest};
}

std::optional<ExistingObject> find_created(splunk::ObjectsApi& api, const DesiredObject& desired,
                                           const Json& sent,
                                           const std::set<std::string>& known_ids) {
  // The name filter matches parts of names; pick_created keeps the exact name.
  const auto candidates = api.search(desired.type, {{"name", desired.name}}, desired.what());
  return pick_created(candidates, desired.name, sent, known_ids);
}

bool update_landed(splunk::ObjectsApi& api, splunk::ObjectType type, const std::string& id,
                   const Json& sent, const std::string& what) {
  const auto now = api.find(type, id, what);
  return now && holds_fields(*now, sent);
}

bool delete_landed(splunk::ObjectsApi& api, splunk::ObjectType type, const std::string& id,
                   const std::string& what) {
  return !api.find(type, id, what);
}

}  // namespace cxtm::dashboards
