#include "actions/service_result.h"

#include <algorithm>

namespace cxtm::actions {

std::string_view outcome_name(ServiceOutcome outcome) {
  switch (outcome) {
    case ServiceOutcome::instrumented:
      return "instrumented";
    case ServiceOutcome::upgraded:
      return "upgraded";
    case ServiceOutcome::unchanged:
      return "unchanged";
    case ServiceOutcome::would_change:
      return "would_change";
    case ServiceOutcome::rolled_back:
      return "rolled_back";
    case ServiceOutcome::failed:
      return "failed";
  }
  return "failed";
}

Json rollout_to_json(const rollout::RolloutResult& rollout) {
  static constexpr std::string_view outcomes[] = {"complete", "failed", "timed_out", "gone",
                                                  "unobserved"};
  Json problems = Json::array();
  for (const auto& problem : rollout.problems) problems.push_back(problem.summary());
  return Json{{"outcome", outcomes[static_cast<int>(rollout.outcome)]},
              {"desired", rollout.last.desired},
              {"ready", rollout.last.ready},
              {"updated", rollout.last.updated},
              {"available", rollout.last.available},
              {"old", rollout.last.old},
              {"waitedSeconds", std::chrono::duration<double>(rollout.waited).count()},
              {"problems", problems}};
}

Json ServiceResult::to_json() const {
  return Json{
      {"service", service},
      {"deployment", deployment},
      {"outcome", outcome_name(outcome)},
      {"exitCode", static_cast<int>(code)},
      {"message", message},
      {"diff", diff},
      {"patch", patch},
      {"warnings", warnings},
      {"notes", notes},
      {"backups", backups},
      {"files", files},
      {"rollout", rollout ? rollout_to_json(*rollout) : Json(nullptr)},
      {"logTails", log_tails},
      {"leftAlone", left_alone},
      {"original", original_location.empty() ? Json(nullptr)
                                             : Json{{"location", original_location},
                                                    {"verified", original_verified},
                                                    {"takenAway", taken_away},
                                                    {"unverifiedTemplate", unverified_template},
                                                    {"copiesDiffer", copies_differ}}}};
}

bool changes_pending(const std::vector<ServiceResult>& results) {
  return std::any_of(results.begin(), results.end(), [](const ServiceResult& result) {
    return result.outcome == ServiceOutcome::would_change;
  });
}

ExitCode combined_code(const std::vector<ServiceResult>& results) {
  for (const auto& result : results) {
    if (result.code != ExitCode::ok) return result.code;
  }
  return ExitCode::ok;
}

std::string summarize(const std::vector<ServiceResult>& results) {
  std::string summary;
  for (const auto outcome :
       {ServiceOutcome::instrumented, ServiceOutcome::upgraded, ServiceOutcome::rolled_back,
        ServiceOutcome::would_change, ServiceOutcome::unchanged, ServiceOutcome::failed}) {
    const auto count = std::count_if(results.begin(), results.end(),
                                     [&](const ServiceResult& r) { return r.outcome == outcome; });
    if (count == 0) continue;
    std::string name(outcome_name(outcome));  // "rolled_back" reads "rolled back"
    std::replace(name.begin(), name.end(), '_', ' ');
    summary += fmt::format("{}{} {}", summary.empty() ? "" : ", ", count, name);
  }
  return summary;
}

}  // namespace cxtm::actions
