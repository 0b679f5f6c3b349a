#pragma once
// Carries out a plan of `dashboards apply` all or nothing: objects are created and updated in
// plan order, and when one step fails (or the run is interrupted) everything this run did is
// undone, newest first: what it created is deleted, what it updated is put back as it was.
// A write whose answer is lost (5xx, timeout, dropped connection) is read back before anything
// decides (dashboards/read_back.h): a create that landed is adopted, never sent again.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "dashboards/plan.h"
#include "print/reporter.h"
#include "splunk/objects_api.h"

namespace cxtm::dashboards {

struct PerformResult {
  std::map<std::string, std::string> ids;  // key → Splunk id of every object of the plan
};

// Applies the plan's create and update steps. On failure throws Error: the failed step's
// message, then what the undo did ("undone: 4 changes") or, when the undo failed too, what is
// left in Splunk and why. interrupted is checked before each step (Error(interrupted) after the
// undo).
PerformResult perform_plan(splunk::ObjectsApi& api, const std::vector<PlannedObject>& plan,
                           print::Reporter& reporter, const std::function<bool()>& interrupted);

}  // namespace cxtm::dashboards
