#include "validate/access.h"

#include <fmt/core.h>

#include <algorithm>

namespace cxtm::validate {

std::string describe(const kube::AccessQuery& query) {
  const std::string subject =
      query.resource + (query.subresource.empty() ? "" : "/" + query.subresource);
  return query.namespace_.empty()
             ? fmt::format("{} {} (cluster-wide)", query.verb, subject)
             : fmt::format("{} {} in {}", query.verb, subject, query.namespace_);
}

std::vector<AccessNeed> access_needs(const config::Config& config) {
  const std::string& collector = config.collector.namespace_;
  const std::string& services = config.namespace_;
  const auto need = [](std::string verb, std::string resource, std::string subresource,
                       const std::string& namespace_, bool required, std::string why) {
    return AccessNeed{{std::move(verb), std::move(resource), std::move(subresource), namespace_},
                      required,
                      std::move(why)};
  };
  std::vector<AccessNeed> needs = {
      need("get", "daemonsets.apps", "", collector, true, "validate reads the collector"),
      need("get", "configmaps", "", collector, true, "validate lints the live collector config"),
      need("list", "pods", "", collector, true, "validate reads the collector's pods"),
      need("get", "pods", "log", collector, true, "validate scans the collector's logs"),
      need("get", "services", "proxy", collector, true,
           "validate reaches the health endpoint through the service proxy"),
      need("create", "services", "proxy", collector, true,
           "validate posts the test span through the service proxy"),
      need("get", "pods", "proxy", collector, true,
           "validate reads each collector pod's own metrics"),
  };
  if (!config.services.empty()) {
    needs.push_back(
        need("get", "deployments.apps", "", services, true, "validate reads the Deployments"));
    if (services != collector) {
      needs.push_back(
          need("list", "pods", "", services, true, "validate reads the services' pods"));
      needs.push_back(
          need("get", "pods", "log", services, true, "validate reads the installer's log"));
    }
  }
  needs.push_back(need("patch", "daemonsets.apps", "", collector, false,
                       "collector deploy applies the collector"));
  if (!config.services.empty()) {
    needs.push_back(need("update", "deployments.apps", "", services, false,
                         "instrument and rollback write the Deployments"));
    needs.push_back(need("create", "configmaps", "", services, false,
                         "instrument keeps its backups in ConfigMaps"));
  }
  return needs;
}

void check_access(kube::KubeClient& kube, const std::vector<AccessNeed>& needs,
                  CheckResult& result) {
  std::vector<kube::AccessQuery> queries;
  for (const auto& need : needs) queries.push_back(need.query);
  // One call; if the cluster cannot be reached, its Error fails the check.
  const std::vector<bool> answers = kube.can_i(queries);

  Json allowed = Json::array();
  Json denied = Json::array();
  int required_denied = 0;
  int other_denied = 0;
  for (size_t i = 0; i < needs.size(); ++i) {
    const std::string text = describe(needs[i].query);
    if (answers[i]) {
      allowed.push_back(text);
      continue;
    }
    denied.push_back(text);
    (needs[i].required ? required_denied : other_denied) += 1;
    result.details.push_back(fmt::format("denied: {} ({}){}", text, needs[i].why,
                                         needs[i].required ? "" : " [other commands]"));
  }
  result.data = {{"allowed", allowed}, {"denied", denied}};
  if (required_denied > 0) {
    result.status = Status::fail;
    const auto required_total =
        std::count_if(needs.begin(), needs.end(), [](const AccessNeed& n) { return n.required; });
    result.summary =
        fmt::format("the cluster answers, but {} of the {} permissions validate needs {} denied",
                    required_denied, required_total, required_denied == 1 ? "is" : "are");
    result.remedy =
        "grant the denied verbs to the kubeconfig's user (a Role and RoleBinding in the "
        "namespaces named), or use a --context that has them";
  } else if (other_denied > 0) {
    result.status = Status::warn;
    result.summary = fmt::format(
        "the cluster answers and validate may run; {} permission{} other commands need {} denied",
        other_denied, other_denied == 1 ? "" : "s", other_denied == 1 ? "is" : "are");
    result.remedy = "grant the denied verbs before running collector deploy or instrument";
  } else {
    result.summary = fmt::format(
        "the cluster answers; all {} permissions the tool needs are granted", needs.size());
  }
}

}  // namespace cxtm::validate
