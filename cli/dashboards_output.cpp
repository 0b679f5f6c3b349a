#include "cli/dashboards_output.h"

#include <fmt/core.h>

namespace cxtm::cli {

Json apply_json(const actions::DashboardsApplyResult& result, bool dry_run) {
  Json objects = Json::array();
  for (const auto& planned : result.plan) {
    const auto id = result.ids.find(planned.desired.key);
    objects.push_back({{"type", splunk::api_name(planned.desired.type)},
                       {"service", planned.desired.service},
                       {"name", planned.desired.name},
                       {"change", dashboards::change_name(planned.change)},
                       {"id", id == result.ids.end() ? Json(nullptr) : Json(id->second)},
                       {"diff", planned.diff}});
  }
  return Json{{"dryRun", dry_run},
              {"changesPending", dry_run && dashboards::changes_anything(result.plan)},
              {"objects", objects},
              {"groupUrl", result.group_url},
              {"exitCode", 0},
              {"message", result.message}};
}

void print_apply_text(const actions::DashboardsApplyResult& result, bool dry_run) {
  if (dry_run) {
    for (const auto& planned : result.plan) fmt::print("{}", planned.diff);
    for (const auto& planned : result.plan) {
      fmt::print("{}: {}{}\n", planned.desired.what(), dashboards::change_name(planned.change),
                 planned.change == dashboards::Change::unchanged ? "" : " (dry run)");
    }
  }
  fmt::print("{}\n", result.message);
  if (!result.group_url.empty()) fmt::print("dashboards: {}\n", result.group_url);
}

}  // namespace cxtm::cli
