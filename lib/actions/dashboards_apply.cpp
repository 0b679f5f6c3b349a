#include "actions/dashboards_apply.h"

#include <fmt/core.h>

#include "dashboards/desired.h"
#include "dashboards/existing.h"
#include "dashboards/perform.h"

namespace cxtm::actions {
namespace {

std::string counts(const std::vector<dashboards::PlannedObject>& plan, bool dry_run) {
  int created = 0, updated = 0, unchanged = 0;
  for (const auto& planned : plan) {
    switch (planned.change) {
      case dashboards::Change::create:
        ++created;
        break;
      case dashboards::Change::update:
        ++updated;
        break;
      case dashboards::Change::unchanged:
        ++unchanged;
        break;
    }
  }
  return fmt::format("{} {}, {} {}, {} unchanged", created, dry_run ? "to create" : "created",
                     updated, dry_run ? "to update" : "updated", unchanged);
}

}  // namespace

DashboardsApplyResult apply_dashboards(const config::Config& config, splunk::ObjectsApi& api,
                                       print::Reporter& reporter,
                                       const DashboardsApplyOptions& options) {
  const auto desired = dashboards::desired_objects(config, options.services);
  reporter.progress("reading the dashboards and detectors Splunk holds");
  const auto existing = dashboards::find_existing(api, desired, dashboards::detector_tag(config));
  DashboardsApplyResult result{.plan = dashboards::plan_changes(desired, existing)};
  for (const auto& [key, object] : existing) result.ids[key] = object.id;
  if (!options.dry_run) {
    result.ids = dashboards::perform_plan(api, result.plan, reporter, options.interrupted).ids;
  }
  const auto group = result.ids.find("group");
  if (group != result.ids.end()) {
    result.group_url = fmt::format("{}/#/dashboard/{}", config.endpoints().app, group->second);
  }
  const size_t services = options.services.size();
  result.message = fmt::format("dashboards and detectors for {} service{}: {}{}", services,
                               services == 1 ? "" : "s", counts(result.plan, options.dry_run),
                               options.dry_run ? " (dry run)" : "");
  return result;
}

}  // namespace cxtm::actions
