#include "dashboards/perform.h"

#include <fmt/core.h>

#include "core/error.h"

namespace cxtm::dashboards {
namespace {

// A change this run made, and how to take it back.
struct Done {
  const PlannedObject* planned;
  std::string id;
};

// Takes back the changes, newest first; returns what could not be taken back, one entry each.
std::vector<std::string> undo(SplunkObjects& api, const std::vector<Done>& done,
                              print::Reporter& reporter) {
  std::vector<std::string> left;
  for (auto it = done.rbegin(); it != done.rend(); ++it) {
    const PlannedObject& planned = *it->planned;
    const std::string what = planned.desired.what();
    try {
      if (planned.change == Change::create) {
        api.remove(planned.desired.type, it->id, what);
        reporter.note(fmt::format("{} ({}) deleted again", what, it->id));
      } else {
        api.update(planned.desired.type, it->id, without_read_only_fields(*planned.before), what);
        reporter.note(fmt::format("{} ({}) put back as it was", what, it->id));
      }
    } catch (const Error& error) {
      left.push_back(fmt::format(
          "{} ({}) {}: {}", what, it->id,
          planned.change == Change::create ? "stays created" : "stays changed", error.what()));
    }
  }
  return left;
}

std::string undo_summary(size_t done, const std::vector<std::string>& left) {
  if (done == 0) return "nothing was changed";
  if (left.empty()) return fmt::format("undone: {} change{}", done, done == 1 ? "" : "s");
  std::string summary = fmt::format("UNDO FAILED for {} of {} changes:", left.size(), done);
  for (const auto& entry : left) summary += " " + entry + ";";
  summary.pop_back();
  return summary;
}

}  // namespace

PerformResult perform_plan(SplunkObjects& api, const std::vector<PlannedObject>& plan,
                           print::Reporter& reporter, const std::function<bool()>& interrupted) {
  PerformResult result;
  for (const auto& planned : plan) {
    if (!planned.id.empty()) result.ids[planned.desired.key] = planned.id;
  }
  std::vector<Done> done;
  const auto fail = [&](const Error& error) {
    const auto left = undo(api, done, reporter);
    throw Error(error.code(), fmt::format("{}; {}", error.what(), undo_summary(done.size(), left)));
  };
  for (const auto& planned : plan) {
    if (planned.change == Change::unchanged) continue;
    const std::string what = planned.desired.what();
    try {
      if (interrupted && interrupted()) {
        throw Error(ExitCode::interrupted, fmt::format("interrupted before {}", what));
      }
      const Json body = body_to_send(planned, result.ids);
      if (planned.change == Change::create) {
        // A new group gets no default dashboard: its dashboards are the services'.
        const Json created =
            api.create(planned.desired.type, body, what,
                       planned.desired.type == ObjectType::dashboard_group ? "empty=true" : "");
        const std::string id = created["id"].get<std::string>();
        result.ids[planned.desired.key] = id;
        done.push_back({&planned, id});
        reporter.note(fmt::format("{} created ({})", what, id));
      } else {
        api.update(planned.desired.type, planned.id, body, what);
        done.push_back({&planned, planned.id});
        reporter.note(fmt::format("{} updated ({})", what, planned.id));
      }
    } catch (const Error& error) {
      fail(error);
    }
  }
  return result;
}

}  // namespace cxtm::dashboards
