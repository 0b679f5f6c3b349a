#pragma once
// What Splunk holds of the objects `dashboards apply` keeps, found again without local state:
// the group by its exact name (and its description, which says cxtm-o11y keeps it), dashboards
// by name inside that group, charts by name on their dashboard, detectors by name among those
// tagged with the cluster's tag.

#include <map>
#include <string>
#include <vector>

#include "dashboards/desired.h"
#include "splunk/objects_api.h"

namespace cxtm::dashboards {

// The first words of the description of every group cxtm-o11y keeps (templates/dashboards/
// group.yaml): a group of the same name without them belongs to someone else.
inline constexpr std::string_view kKeptMarker = "Kept by cxtm-o11y";

struct ExistingObject {
  std::string id;
  Json body;  // as Splunk answered
};

// The existing objects of desired, by key. Throws Error(conflict) when a group of that name
// exists that cxtm-o11y does not keep, or when a name is ambiguous; Splunk's failures as
// splunk::ObjectsApi throws them.
std::map<std::string, ExistingObject> find_existing(splunk::ObjectsApi& api,
                                                    const std::vector<DesiredObject>& desired,
                                                    const std::string& detector_tag);

}  // namespace cxtm::dashboards
