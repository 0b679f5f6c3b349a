#include "actions/service_run.h"

namespace cxtm::actions {

ExitCode ServiceRun::code() const {
  const ExitCode code = combined_code(results);
  if (code == ExitCode::ok && validation) return validation->exit_code();
  return code;
}

bool ServiceRun::changes_pending() const {
  return actions::changes_pending(results);
}

std::vector<std::string> ServiceRun::not_traced() const {
  std::vector<std::string> services;
  if (!validation) return services;
  for (const auto& check : validation->checks) {
    if (check.id == "service" && check.status == validate::Status::fail) {
      services.push_back(check.service);
    }
  }
  return services;
}

Json ServiceRun::to_json() const {
  Json services = Json::array();
  for (const auto& result : results) services.push_back(result.to_json());
  Json document{{"services", services},
                {"changesPending", changes_pending()},
                {"exitCode", static_cast<int>(code())},
                {"dryRun", dry_run}};
  if (validation) {
    document["validation"] = validation->to_json();
    document["notTraced"] = not_traced();
  }
  return document;
}

}  // namespace cxtm::actions
