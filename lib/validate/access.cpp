#include "validate/access.h"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>

#include "backup/cluster_store.h"
#include "instrument/operator_injection.h"

namespace cxtm::validate {

std::string describe(const kube::AccessQuery& query) {
  const std::string subject = query.resource +
                              (query.subresource.empty() ? "" : "/" + query.subresource) +
                              (query.name.empty() ? "" : " " + query.name);
  return query.namespace_.empty()
             ? fmt::format("{} {} (cluster-wide)", query.verb, subject)
             : fmt::format("{} {} in {}", query.verb, subject, query.namespace_);
}

namespace {

bool same_query(const kube::AccessQuery& a, const kube::AccessQuery& b) {
  return a.verb == b.verb && a.resource == b.resource && a.subresource == b.subresource &&
         a.namespace_ == b.namespace_ && a.name == b.name;
}

}  // namespace

// Every permission the commands use, as test/test_integration_operator_rbac.cpp finds them in
// the API server's authorization log, and nothing more. Questions about one object carry its
// name: operator-rbac.yaml grants those by name, and a review without one would be denied.

std::vector<AccessNeed> access_needs(const config::Config& config, bool traffic) {
  const std::string& collector = config.collector.namespace_;
  const std::string& own = config.collector.name;
  const std::string& secret = config.splunk.access_token.secret;
  std::vector<AccessNeed> needs;
  const auto need = [&](std::string verb, std::string resource, std::string subresource,
                        const std::string& namespace_, const std::string& name, bool required,
                        std::string why) {
    AccessNeed added{
        {std::move(verb), std::move(resource), std::move(subresource), namespace_, name},
        required,
        std::move(why)};
    const bool asked = std::any_of(needs.begin(), needs.end(), [&](const AccessNeed& n) {
      return same_query(n.query, added.query);
    });
    if (!asked) needs.push_back(std::move(added));
  };

  need("get", "daemonsets.apps", "", collector, "", true, "validate reads the collector");
  need("get", "configmaps", "", collector, own, true, "validate lints the live collector config");
  need("list", "pods", "", collector, "", true, "validate reads the collector's pods");
  need("get", "pods", "log", collector, "", true, "validate scans the collector's logs");
  // The proxied name is the Service's with the port: operator-rbac.yaml grants these by name.
  need("get", "services", "proxy", collector,
       fmt::format("{}:{}", own, config.collector.health_port), true,
       "validate reaches the health endpoint through the service proxy");
  need("create", "services", "proxy", collector,
       fmt::format("{}:{}", own, config.collector.otlp_http_port), true,
       "validate posts the test span through the service proxy");
  need("get", "pods", "proxy", collector, "", true,
       "validate reads each collector pod's own metrics");
  for (const auto& services : config.service_namespaces()) {
    for (const auto& workloads : config.workload_resources(services)) {
      need("get", workloads, "", services, "", true, "validate reads the workloads");
    }
    need("list", "pods", "", services, "", true, "validate reads the services' pods");
    need("get", "pods", "log", services, "", true,
         "validate reads the installer's log and the app's start-up report");
    if (config.uses_operator(services)) {
      // instrument --via operator: the tool's Instrumentation by server-side apply (create when
      // new), read back, deleted when unused; pods the Operator skipped are replaced.
      const std::string operator_way = "instrument --via operator writes its Instrumentation";
      const std::string ours(instrument::kInstrumentationName);
      for (const char* verb : {"get", "patch", "delete"}) {
        need(verb, std::string(instrument::kInstrumentationResource), "", services, ours, false,
             operator_way);
      }
      need("create", std::string(instrument::kInstrumentationResource), "", services, "", false,
           operator_way);
      need("delete", "pods", "", services, "", false,
           "instrument --via operator replaces pods the Operator did not inject");
    }
    if (traffic) {
      need("list", "services", "", services, "", true,
           "validate --traffic finds the Service that selects each service's pods");
      need("get", "services", "proxy", services, "", true,
           "validate --traffic sends its request through the service proxy");
    }
  }

  // collector deploy applies each of its objects by server-side apply (patch; create when new),
  // reads it back, and undoes a failed deploy (delete, or update to what was there); collector
  // delete. The admin's objects (render/manifest_parts.h) it only reads, by name, and writes
  // into the token Secret a new token.
  const std::string applied = "collector deploy and delete write the collector's objects";
  // ConfigMaps are read and written by name only (create cannot be limited by name), so the
  // namespace's other ConfigMaps stay out of reach.
  const auto name_for = [&](std::string_view resource, std::string_view verb) {
    return resource == "configmaps" && verb != "create" ? own : std::string();
  };
  for (const char* resource : {"daemonsets.apps", "configmaps", "serviceaccounts", "services"}) {
    for (const char* verb : {"create", "get", "patch", "delete"}) {
      need(verb, resource, "", collector, name_for(resource, verb), false, applied);
    }
  }
  // The undo of a failed update puts back what changed; a config change can change these.
  const std::string undo = "collector deploy puts the previous objects back when an update fails";
  for (const char* resource : {"daemonsets.apps", "configmaps", "services"}) {
    need("update", resource, "", collector, name_for(resource, "update"), false, undo);
  }
  const std::string token = "collector deploy checks the token Secret and writes a new token";
  for (const char* verb : {"get", "patch"})
    need(verb, "secrets", "", collector, secret, false, token);
  need("update", "secrets", "", collector, secret, false, undo);
  const std::string admin = "collector deploy checks the objects an admin applies once";
  for (const char* resource : {"clusterroles.rbac.authorization.k8s.io",
                               "clusterrolebindings.rbac.authorization.k8s.io"}) {
    need("get", resource, "", "", own, false, admin);
  }
  if (collector != "default") need("get", "namespaces", "", "", collector, false, admin);
  need("list", "nodes", "", "", "", false,
       "collector deploy says why no node takes the collector, when none does");
  const std::string collector_wait = "collector deploy follows its rollout with one watch";
  for (const char* verb : {"list", "watch"}) {
    need(verb, "daemonsets.apps", "", collector, "", false, collector_wait);
  }
  need("watch", "pods", "", collector, "", false, collector_wait);

  for (const auto& services : config.service_namespaces()) {
    for (const auto& workloads : config.workload_resources(services)) {
      need("update", workloads, "", services, "", false,
           "instrument and rollback write the workloads");
    }
    const std::string waits =
        "instrument and rollback read the Deployments in one list and follow their rollouts "
        "with one watch each of Deployments, ReplicaSets and pods";
    for (const auto& workloads : config.workload_resources(services)) {
      need("list", workloads, "", services, "", false, waits);
      need("watch", workloads, "", services, "", false, waits);
    }
    for (const char* resource : {"replicasets.apps", "pods"}) {
      need("watch", resource, "", services, "", false, waits);
    }
    need("list", "replicasets.apps", "", services, "", false, waits);
    const std::string backups = "instrument keeps its backups in ConfigMaps";
    need("create", "configmaps", "", services, "", false, backups);
    for (const auto& service : config.services) {
      if (config.namespace_of(service) != services) continue;
      const std::string name =
          backup::ClusterBackupStore::configmap_for(services, service.deployment).name;
      for (const char* verb : {"get", "patch", "update"}) {
        need(verb, "configmaps", "", services, name, false, backups);
      }
    }
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
