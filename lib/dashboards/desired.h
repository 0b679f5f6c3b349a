#pragma once
// What `dashboards apply` wants in Splunk, rendered from templates/dashboards/ for the config's
// cluster and services. Pure: no request is made here.

#include <string>
#include <vector>

#include "config/config.h"
#include "core/json.h"
#include "splunk/objects_api.h"

namespace cxtm::dashboards {

// A field of an object's body that holds the id of another object of the same plan.
struct Reference {
  Json::json_pointer field;  // "/groupId", "/charts/0/chartId"
  std::string key;           // the other object's key
};

// One object as cxtm-o11y wants it.
struct DesiredObject {
  splunk::ObjectType type = splunk::ObjectType::chart;
  std::string key;      // unique in the plan: "group", "scheduler/chart/0", "scheduler/dashboard"
  std::string service;  // the configured service it belongs to; "" for the group
  std::string name;     // its name in Splunk
  Json body;            // the fields cxtm-o11y keeps; references are filled in when applied
  std::vector<Reference> references;

  // 'chart "Requests per second"' (with the service: 'scheduler: chart "…"') for messages.
  std::string what() const;
};

// The tag on every detector cxtm-o11y keeps for this cluster: how they are found again.
std::string detector_tag(const config::Config& config);

// The objects for these services, in the order they can be created: the group, then for each
// service its charts, its dashboard and its detector. Throws Error(usage) naming the template
// when one is broken.
std::vector<DesiredObject> desired_objects(
    const config::Config& config, const std::vector<const config::ServiceSettings*>& services);

}  // namespace cxtm::dashboards
