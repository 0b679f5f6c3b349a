#include "actions/plan.h"

#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "actions/collector_plan.h"
#include "actions/services.h"

namespace cxtm::actions {
namespace {

// Runs one part; an Error becomes the part's failure.
PlanPart run_part(std::string name, const std::function<void(PlanPart&)>& body) {
  PlanPart part{.name = std::move(name)};
  try {
    body(part);
  } catch (const Error& error) {
    part.code = error.code();
    part.pending = false;
    part.summary = error.what();
  }
  return part;
}

// "3 to change: a, b, c", or the first three and how many more.
std::string to_change(const std::vector<std::string>& items, std::string_view verb) {
  constexpr size_t kNamed = 3;
  if (items.size() <= kNamed) {
    return fmt::format("{} to {}: {}", items.size(), verb, fmt::join(items, ", "));
  }
  return fmt::format("{} to {}: {} and {} more", items.size(), verb,
                     fmt::join(items.begin(), items.begin() + kNamed, ", "), items.size() - kNamed);
}

void summarize_collector(const CollectorDeployResult& result, PlanPart& part) {
  std::vector<std::string> changing;
  for (const auto& object : result.plan.objects) {
    if (object.change != Change::unchanged) {
      changing.push_back(
          fmt::format("{} ({})", object.ref.resource_name(), change_name(object.change)));
    }
  }
  part.pending = !changing.empty();
  part.summary = changing.empty() ? "up to date" : to_change(changing, "change");
}

void summarize_services(const std::vector<ServiceResult>& results, PlanPart& part) {
  std::vector<std::string> changing;
  size_t failed = 0;
  for (const auto& result : results) {
    if (result.outcome == ServiceOutcome::would_change) changing.push_back(result.service);
    if (result.outcome == ServiceOutcome::failed) {
      ++failed;
      part.details.push_back(fmt::format("{}: {}", result.service, result.message));
    }
  }
  part.code = combined_code(results);
  part.pending = !changing.empty();
  const size_t unchanged = results.size() - changing.size() - failed;
  std::vector<std::string> lines;
  if (!changing.empty()) lines.push_back(to_change(changing, "instrument"));
  if (failed > 0) lines.push_back(fmt::format("{} failed", failed));
  if (lines.empty()) {
    part.summary = fmt::format("up to date ({} service{})", unchanged, unchanged == 1 ? "" : "s");
    return;
  }
  if (unchanged > 0) lines.push_back(fmt::format("{} up to date", unchanged));
  part.summary = fmt::format("{}", fmt::join(lines, "; "));
}

void summarize_dashboards(const DashboardsApplyResult& result, PlanPart& part) {
  std::vector<std::string> changing;
  for (const auto& planned : result.plan) {
    if (planned.change != dashboards::Change::unchanged) {
      changing.push_back(
          fmt::format("{} ({})", planned.desired.what(), dashboards::change_name(planned.change)));
    }
  }
  part.pending = !changing.empty();
  part.summary = changing.empty() ? "up to date" : to_change(changing, "change");
}

}  // namespace

bool PlanReport::changes_pending() const {
  return std::any_of(parts.begin(), parts.end(), [](const PlanPart& part) { return part.pending; });
}

ExitCode PlanReport::code() const {
  for (const auto& part : parts) {
    if (part.code != ExitCode::ok) return part.code;
  }
  return ExitCode::ok;
}

PlanReport run_plan(Context& context, BackupStores stores, const PlanDashboards& dashboards) {
  PlanReport report;
  report.parts.push_back(run_part("collector", [&](PlanPart& part) {
    report.collector = deploy_collector(context, {.dry_run = true});
    part.code = report.collector->code;
    summarize_collector(*report.collector, part);
  }));
  report.parts.push_back(run_part("services", [&](PlanPart& part) {
    const auto services = select_services(context.config, {}, /*all=*/true);
    report.services = instrument_services(context, stores, services, {.change = {.dry_run = true}});
    summarize_services(report.services, part);
  }));
  report.parts.push_back(run_part("dashboards", [&](PlanPart& part) {
    if (dashboards.splunk == nullptr) {
      part.skipped = true;
      part.summary = "skipped: " + dashboards.skip_reason;
      return;
    }
    const auto services = select_services(context.config, {}, /*all=*/true);
    report.dashboards = apply_dashboards(context.config, *dashboards.splunk, context.reporter,
                                         {.services = services, .dry_run = true});
    summarize_dashboards(*report.dashboards, part);
  }));
  return report;
}

}  // namespace cxtm::actions
