#include "dashboards/plan.h"

#include <algorithm>

#include "core/yaml_emit.h"
#include "kube/object_diff.h"

namespace cxtm::dashboards {
namespace {

// Whether actual holds what wanted holds: objects key by key (extra keys in actual are fields
// Splunk adds, like chart options' defaults), arrays element by element, scalars equal.
bool holds(const Json& actual, const Json& wanted) {
  if (wanted.is_object()) {
    if (!actual.is_object()) return false;
    return std::all_of(wanted.items().begin(), wanted.items().end(), [&](const auto& item) {
      return actual.contains(item.key()) && holds(actual[item.key()], item.value());
    });
  }
  if (wanted.is_array()) {
    if (!actual.is_array() || actual.size() != wanted.size()) return false;
    for (size_t i = 0; i < wanted.size(); ++i) {
      if (!holds(actual[i], wanted[i])) return false;
    }
    return true;
  }
  if (wanted.is_number() && actual.is_number()) return wanted.get<double>() == actual.get<double>();
  return actual == wanted;
}

// A dashboard's chart placements in reading order, so that order in the answer does not count.
Json placements_in_order(Json dashboard) {
  if (!member(dashboard, "charts").is_array()) return dashboard;
  auto& charts = dashboard["charts"];
  // A placement without a row or column (or not a number) reads as 0.
  std::stable_sort(charts.begin(), charts.end(), [](const Json& a, const Json& b) {
    return std::pair(integer_member(a, "row"), integer_member(a, "column")) <
           std::pair(integer_member(b, "row"), integer_member(b, "column"));
  });
  return dashboard;
}

// The part of actual that wanted speaks of: what the diff shows.
Json kept_part(const Json& actual, const Json& wanted) {
  if (!wanted.is_object() || !actual.is_object()) return actual;
  Json part = Json::object();
  for (const auto& [key, value] : wanted.items()) {
    if (actual.contains(key)) part[key] = kept_part(actual[key], value);
  }
  return part;
}

}  // namespace

bool holds_fields(const Json& actual, const Json& wanted) {
  return holds(placements_in_order(actual), placements_in_order(wanted));
}

bool changes_anything(const std::vector<PlannedObject>& plan) {
  return std::any_of(plan.begin(), plan.end(), [](const PlannedObject& planned) {
    return planned.change != Change::unchanged;
  });
}

std::string_view change_name(Change change) {
  switch (change) {
    case Change::create:
      return "create";
    case Change::update:
      return "update";
    case Change::unchanged:
      return "unchanged";
  }
  return "unknown";
}

Json without_read_only_fields(const Json& object) {
  Json copy = object;
  for (const char* key : {"id", "created", "creator", "lastUpdated", "lastUpdatedBy"}) {
    copy.erase(key);
  }
  return copy;
}

Json resolved_body(const DesiredObject& desired, const std::map<std::string, std::string>& ids) {
  Json body = desired.body;
  for (const auto& reference : desired.references) {
    const auto id = ids.find(reference.key);
    body[reference.field] = id == ids.end() ? Json(nullptr) : Json(id->second);
  }
  return body;
}

Json body_to_send(const PlannedObject& planned, const std::map<std::string, std::string>& ids) {
  const Json wanted = resolved_body(planned.desired, ids);
  if (!planned.before) return wanted;
  Json body = without_read_only_fields(*planned.before);
  for (const auto& [key, value] : wanted.items()) body[key] = value;
  return body;
}

std::vector<PlannedObject> plan_changes(const std::vector<DesiredObject>& desired,
                                        const std::map<std::string, ExistingObject>& existing) {
  // Objects still to be created have no id yet: the diff names them, and a reference to one
  // never equals what Splunk holds.
  std::map<std::string, std::string> ids;
  for (const auto& object : desired) ids[object.key] = "(id of new " + object.what() + ")";
  for (const auto& [key, object] : existing) ids[key] = object.id;
  std::vector<PlannedObject> plan;
  for (const auto& object : desired) {
    PlannedObject planned{.desired = object};
    const Json wanted = placements_in_order(resolved_body(object, ids));
    const auto found = existing.find(object.key);
    const std::string label = std::string(splunk::api_name(object.type)) + "/" + object.name;
    if (found == existing.end()) {
      planned.change = Change::create;
      planned.diff =
          kube::unified_diff("splunk/" + label, "proposed/" + label, "", to_yaml(wanted));
    } else {
      planned.id = found->second.id;
      planned.before = found->second.body;
      const Json actual = placements_in_order(found->second.body);
      planned.change = holds_fields(actual, wanted) ? Change::unchanged : Change::update;
      if (planned.change == Change::update) {
        planned.diff = kube::unified_diff("splunk/" + label, "proposed/" + label,
                                          to_yaml(kept_part(actual, wanted)), to_yaml(wanted));
      }
    }
    plan.push_back(std::move(planned));
  }
  return plan;
}

}  // namespace cxtm::dashboards
