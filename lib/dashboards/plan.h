#pragma once
// What `dashboards apply` would change: each desired object against what Splunk holds. Pure.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dashboards/desired.h"
#include "dashboards/existing.h"

namespace cxtm::dashboards {

enum class Change { create, update, unchanged };

// "create", "update", "unchanged".
std::string_view change_name(Change change);

struct PlannedObject {
  DesiredObject desired;
  Change change = Change::create;
  std::string id;              // Splunk's id when it exists
  std::optional<Json> before;  // the object as Splunk holds it, when it exists
  std::string diff;            // unified YAML diff of the fields cxtm-o11y keeps; "" unchanged
};

// The fields Splunk sets itself (id, created, creator, lastUpdated, lastUpdatedBy): left out of
// what is sent back.
Json without_read_only_fields(const Json& object);

// Whether Splunk's object holds every field of wanted: fields Splunk adds are ignored, and a
// dashboard's chart placements may come in any order.
bool holds_fields(const Json& actual, const Json& wanted);

// desired with its references filled from ids (key → Splunk id); a reference whose object has
// no id yet stays null.
Json resolved_body(const DesiredObject& desired, const std::map<std::string, std::string>& ids);

// The body to send: a create sends the desired fields; an update sends the object as Splunk holds
// it with the desired fields over it, so fields cxtm-o11y does not keep survive the PUT.
Json body_to_send(const PlannedObject& planned, const std::map<std::string, std::string>& ids);

// One entry per desired object, in the same order.
std::vector<PlannedObject> plan_changes(const std::vector<DesiredObject>& desired,
                                        const std::map<std::string, ExistingObject>& existing);

// Whether any planned object would be created or updated.
bool changes_anything(const std::vector<PlannedObject>& plan);

}  // namespace cxtm::dashboards
