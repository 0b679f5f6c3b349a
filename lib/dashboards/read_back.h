#pragma once
// After a write whose answer was lost (splunk::WriteOutcomeUnknown): what Splunk now holds tells
// whether it landed, so a create that did is adopted rather than sent again (a second object of the
// name would make the next `dashboards apply` refuse as ambiguous).

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dashboards/desired.h"
#include "dashboards/existing.h"
#include "splunk/objects_api.h"

namespace cxtm::dashboards {

// Which of candidates a create of an object named name, with body sent, made: those of that
// exact name that hold every field sent and whose id is not in known_ids, the newest by
// "created" (an identical chart an earlier run left without a dashboard serves as well).
// nullopt when there is none. Pure.
std::optional<ExistingObject> pick_created(const std::vector<Json>& candidates,
                                           const std::string& name, const Json& sent,
                                           const std::set<std::string>& known_ids);

// The object a create whose answer was lost made, found by a search by name; nullopt when it
// did not land. Splunk's failures throw as splunk::ObjectsApi throws them.
std::optional<ExistingObject> find_created(splunk::ObjectsApi& api, const DesiredObject& desired,
                                           const Json& sent,
                                           const std::set<std::string>& known_ids);

// Whether an update whose answer was lost landed: the object holds every field sent.
bool update_landed(splunk::ObjectsApi& api, splunk::ObjectType type, const std::string& id,
                   const Json& sent, const std::string& what);

// Whether a delete whose answer was lost landed: the object is gone.
bool delete_landed(splunk::ObjectsApi& api, splunk::ObjectType type, const std::string& id,
                   const std::string& what);

}  // namespace cxtm::dashboards
