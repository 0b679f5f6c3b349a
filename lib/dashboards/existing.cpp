#include "dashboards/existing.h"

#include <fmt/core.h>

#include "core/error.h"

namespace cxtm::dashboards {
namespace {

// The one object among candidates named like wanted; nullptr when none. Two of the same name are
// ambiguous: which to change is not ours to guess.
const Json* one_named(const std::vector<Json>& candidates, const DesiredObject& wanted) {
  const Json* found = nullptr;
  for (const Json& candidate : candidates) {
    if (string_member(candidate, "name") != wanted.name) continue;
    if (found != nullptr) {
      throw Error(
          ExitCode::conflict,
          fmt::format("{}: Splunk holds two of that name ({} and {}); delete one", wanted.what(),
                      string_member(*found, "id"), string_member(candidate, "id")));
    }
    found = &candidate;
  }
  return found;
}

void remember(std::map<std::string, ExistingObject>& existing, const DesiredObject& wanted,
              const Json* found) {
  if (found != nullptr) existing[wanted.key] = {string_member(*found, "id"), *found};
}

// The chart ids a dashboard shows.
std::vector<std::string> chart_ids(const Json& dashboard) {
  std::vector<std::string> ids;
  for (const Json& placed : array_member(dashboard, "charts")) {
    if (placed.is_object()) {
      const std::string id = string_member(placed, "chartId");
      if (!id.empty()) ids.push_back(id);
    }
  }
  return ids;
}

}  // namespace

std::map<std::string, ExistingObject> find_existing(splunk::ObjectsApi& api,
                                                    const std::vector<DesiredObject>& desired,
                                                    const std::string& detector_tag) {
  std::map<std::string, ExistingObject> existing;
  const DesiredObject* group = nullptr;
  for (const auto& object : desired) {
    if (object.type == splunk::ObjectType::dashboard_group) group = &object;
  }
  if (group != nullptr) {
    // The name filter matches parts of names; one_named keeps the exact name.
    const auto groups =
        api.search(splunk::ObjectType::dashboard_group, {{"name", group->name}}, group->what());
    const Json* found = one_named(groups, *group);
    if (found != nullptr && !string_member(*found, "description").starts_with(kKeptMarker)) {
      throw Error(ExitCode::conflict,
                  fmt::format("{}: a group of that name exists ({}) that cxtm-o11y does not keep; "
                              "rename it or change the cluster name",
                              group->what(), string_member(*found, "id")));
    }
    remember(existing, *group, found);
  }

  std::vector<Json> dashboards;
  if (existing.contains("group")) {
    // A dashboard or chart deleted since it was listed is simply not there.
    for (const std::string& id : strings_member(existing["group"].body, "dashboards")) {
      if (auto found =
              api.find(splunk::ObjectType::dashboard, id, fmt::format("dashboard {}", id))) {
        dashboards.push_back(std::move(*found));
      }
    }
  }
  std::map<std::string, std::vector<Json>> charts_of_service;
  for (const auto& object : desired) {
    if (object.type != splunk::ObjectType::dashboard) continue;
    const Json* found = one_named(dashboards, object);
    remember(existing, object, found);
    if (found == nullptr) continue;
    auto& charts = charts_of_service[object.service];
    for (const std::string& id : chart_ids(*found)) {
      auto chart =
          api.find(splunk::ObjectType::chart, id, fmt::format("{}: chart {}", object.service, id));
      if (chart) charts.push_back(std::move(*chart));
    }
  }
  for (const auto& object : desired) {
    if (object.type != splunk::ObjectType::chart) continue;
    const auto charts = charts_of_service.find(object.service);
    if (charts != charts_of_service.end())
      remember(existing, object, one_named(charts->second, object));
  }

  bool wants_detectors = false;
  for (const auto& object : desired) wants_detectors |= object.type == splunk::ObjectType::detector;
  if (wants_detectors) {
    const auto detectors = api.search(splunk::ObjectType::detector, {{"tags", detector_tag}},
                                      "detectors tagged " + detector_tag);
    for (const auto& object : desired) {
      if (object.type == splunk::ObjectType::detector)
        remember(existing, object, one_named(detectors, object));
    }
  }
  return existing;
}

}  // namespace cxtm::dashboards
