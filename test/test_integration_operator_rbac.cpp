// examples/operator-rbac.yaml against what the tool does: the API server double enforces it as
// Kubernetes' RBAC would for the operator's user, and every command an operator runs is run
// once (collector deploy, a failed update and its undo, status, instrument, a failed instrument
// and its rollback, backups, rollback, validate, collector delete). The permissions used are read
// from the double's authorization log, so a verb the file lacks fails a command here, and a
// verb it grants that no command uses fails the comparison: the file is what the tool needs, no
// more. validate's access check (lib/validate/access.cpp) must ask exactly those permissions,
// and the table of them in docs/permissions.md must name each.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "config/config.h"
#include "core/atomic_file.h"
#include "core/text.h"
#include "fixtures/kube_rbac.h"
#include "fixtures/kube_scheduling.h"
#include "support/cli_runner.h"
#include "support/cluster_cli.h"
#include "support/text.h"
#include "support/validate_world.h"
#include "validate/access.h"

namespace test_integration_operator_rbac {

using cxtm::Json;
using cxtm::testing::Authorization;
using cxtm::testing::ClusterCli;
using cxtm::testing::contains;
using cxtm::testing::fast;
using cxtm::testing::PodBehaviour;
using cxtm::testing::ValidateWorld;
using cxtm::testing::kubefake::make_node;
using cxtm::testing::kubefake::PolicyRule;
using cxtm::testing::kubefake::RequestAttributes;

namespace {

const std::string kRbac = CXTM_SOURCE_DIR "/examples/operator-rbac.yaml";
const std::string kToken = "fake-ingest-token-0123456789";
const std::string kName = "otel-collector";  // the collector's objects, in examples/cxtm-poc.yaml

// A permission without the object's name: verb on a group's resource[/subresource], in a
// namespace ("" at the cluster scope). What validate's access check can ask about.
struct Permission {
  std::string verb;
  std::string group;
  std::string resource;  // "pods/log"
  std::string namespace_;

  auto operator<=>(const Permission&) const = default;
};

std::string describe(const Permission& permission) {
  const std::string group = permission.group.empty() ? "" : "." + permission.group;
  return fmt::format("{} {}{} {}", permission.verb, permission.resource, group,
                     permission.namespace_.empty() ? "(cluster)" : "in " + permission.namespace_);
}

std::string describe(const std::set<Permission>& permissions) {
  std::vector<std::string> lines;
  for (const auto& permission : permissions) lines.push_back(describe(permission));
  return fmt::format("{}", fmt::join(lines, "\n"));
}

Permission permission_of(const RequestAttributes& request) {
  return {request.verb, request.api_group, request.resource_and_subresource(), request.namespace_};
}

// Every request granted by the RBAC: the double logs them in order.
std::vector<RequestAttributes> granted(const std::vector<Authorization>& log) {
  std::vector<RequestAttributes> requests;
  for (const auto& decision : log) {
    if (decision.allowed && decision.request.resource_request) {
      requests.push_back(decision.request);
    }
  }
  return requests;
}

std::vector<std::string> refused(const std::vector<Authorization>& log) {
  std::vector<std::string> lines;
  for (const auto& decision : log) {
    if (!decision.allowed) lines.push_back(decision.request.describe());
  }
  return lines;
}

// One grant of the file: a rule of a Role (its namespace) or ClusterRole ("*": everywhere),
// broken down to one verb, group, resource and at most one name.
struct Grant {
  std::string scope;
  PolicyRule rule;
};

std::string describe(const Grant& grant) {
  const PolicyRule& rule = grant.rule;
  const std::string group = rule.api_groups[0].empty() ? "" : "." + rule.api_groups[0];
  const std::string name = rule.resource_names.empty() ? "" : " \"" + rule.resource_names[0] + "\"";
  return fmt::format("{} {}{}{} {}", rule.verbs[0], rule.resources[0], group, name,
                     grant.scope == "*" ? "(ClusterRole)" : "in " + grant.scope);
}

std::vector<Grant> grants_of(const std::string& yaml) {
  const auto policy = cxtm::testing::kubefake::parse_policy(yaml);
  std::vector<std::pair<std::string, const std::vector<PolicyRule>*>> sources = {
      {"*", &policy.cluster_rules}};
  for (const auto& [namespace_, rules] : policy.namespace_rules) {
    sources.emplace_back(namespace_, &rules);
  }
  std::vector<Grant> grants;
  for (const auto& [scope, rules] : sources) {
    for (const PolicyRule& rule : *rules) {
      std::vector<std::vector<std::string>> names = {{}};
      if (!rule.resource_names.empty()) names.clear();
      for (const auto& name : rule.resource_names) names.push_back({name});
      for (const auto& group : rule.api_groups) {
        for (const auto& resource : rule.resources) {
          for (const auto& verb : rule.verbs) {
            for (const auto& name : names) {
              grants.push_back({scope, {{group}, {resource}, {verb}, name}});
            }
          }
        }
      }
    }
  }
  return grants;
}

bool uses(const Grant& grant, const std::vector<RequestAttributes>& requests) {
  return std::any_of(requests.begin(), requests.end(), [&](const RequestAttributes& request) {
    return (grant.scope == "*" || grant.scope == request.namespace_) &&
           cxtm::testing::kubefake::rule_allows(grant.rule, request);
  });
}

// What validate's access check asks, as permissions.
std::set<Permission> asked(const cxtm::config::Config& config) {
  std::set<Permission> permissions;
  for (const auto& need : cxtm::validate::access_needs(config)) {
    const auto& query = need.query;
    const auto dot = query.resource.find('.');
    const std::string group = dot == std::string::npos ? "" : query.resource.substr(dot + 1);
    const std::string resource =
        query.resource.substr(0, dot) + (query.subresource.empty() ? "" : "/" + query.subresource);
    permissions.insert({query.verb, group, resource, query.namespace_});
  }
  return permissions;
}

// The example config with another memory limit and OTLP/gRPC port: a new ConfigMap, pod
// template and Service.
std::string changed(std::string config) {
  const auto at = config.find("  resources:");
  REQUIRE(at != std::string::npos);
  config.insert(at, "  ports:\n    otlp_grpc: 14317\n");
  const auto memory = config.find("memory: 500Mi");
  REQUIRE(memory != std::string::npos);
  return config.replace(memory, 13, "memory: 1Gi");
}

// Granted but used by no command here: the undo of a failed update puts back only what the
// update changed, and no config change alters these (their content is the tool's); an upgrade
// of cxtm-o11y that changes them needs them to put them back.
// The rows of docs/permissions.md's table of what each command uses ("## Permissions the
// operator needs"), lower-cased.
std::vector<std::string> documented_permission_rows() {
  const std::string doc = cxtm::read_file(CXTM_SOURCE_DIR "/docs/permissions.md");
  const auto start = doc.find("## Permissions the operator needs");
  REQUIRE(start != std::string::npos);
  const auto end = doc.find("\n## ", start + 1);
  std::vector<std::string> rows;
  for (const auto& line : cxtm::testing::lines_starting(doc.substr(start, end - start), "| ")) {
    rows.push_back(cxtm::to_lower(line));
  }
  return rows;
}

// Whether a row of the documented table names the verb (`get`) and the resource (its singular,
// as prose names it: "DaemonSet" for daemonsets; a subresource as written: `pods/log`).
bool documented_names(const std::vector<std::string>& rows, const Permission& permission) {
  std::string resource = permission.resource;
  if (resource.find('/') == std::string::npos && resource.ends_with('s')) resource.pop_back();
  return std::any_of(rows.begin(), rows.end(), [&](const std::string& row) {
    return contains(row, "`" + permission.verb + "`") && contains(row, resource);
  });
}

const std::set<std::string> kKeptForUpgrades = {"update serviceaccounts in default"};

// An admin's one-time step, as docs/permissions.md and operator-rbac.yaml give it:
// `[SPLUNK_ACCESS_TOKEN=...] cxtm-o11y render --part PART [--include-secret] | kubectl apply -f -`.
void admin_applies(const ClusterCli& cluster, const std::string& part) {
  std::vector<std::string> render = {"render", "--part", part};
  if (part == "secret") render.push_back("--include-secret");
  const auto rendered = cluster.run(render, "", {{"SPLUNK_ACCESS_TOKEN", kToken}});
  INFO(rendered.err);
  REQUIRE(rendered.exit_code == 0);
  const auto applied = cluster.kubectl({"apply", "-f", "-"}, rendered.out);
  INFO(applied.out, applied.err);
  REQUIRE(applied.exit_code == 0);
}

}  // namespace

TEST_SUITE("integration/operator_rbac") {
  TEST_CASE("every command under operator-rbac.yaml: nothing refused, nothing granted unused") {
    ClusterCli cluster;
    cluster.seed("minimal", "cxtm-scheduler");
    cluster.seed("minimal", "cxtm-notifications");
    admin_applies(cluster, "cluster");
    admin_applies(cluster, "secret");
    cluster.server.enforce_rbac_file(kRbac);
    const std::string config = cxtm::read_file(cluster.config());
    const auto step = [&](const std::vector<std::string>& arguments, int exit_code,
                          const std::map<std::string, std::string>& env = {}) {
      const auto result = cluster.run(arguments, "", env);
      const std::string command = fmt::format("{}", fmt::join(arguments, " "));
      INFO(command, "\n", result.out, result.err);
      CHECK(result.exit_code == exit_code);
      return result;
    };
    const std::vector<std::string> deploy = {"collector", "deploy",          "--timeout",
                                             "20s",       "--poll-interval", "50ms"};
    const std::map<std::string, std::string> token = {{"SPLUNK_ACCESS_TOKEN", kToken}};

    // No node takes the collector: deploy says why for each node (list nodes), and undoes.
    const auto taint_nodes = [&](const Json& taints) {
      cluster.server.put_object(make_node("node-1", "10.0.0.11", Json::object(), taints));
      cluster.server.put_object(make_node("node-2", "10.0.0.12", Json::object(), taints));
    };
    taint_nodes(Json::array({{{"key", "dedicated"}, {"value", "gpu"}, {"effect", "NoSchedule"}}}));
    const auto nowhere = step(deploy, 1, token);
    CHECK(contains(nowhere.out, "runs on no node: 2 of 2 nodes left out"));
    taint_nodes(Json::array());

    auto dry_run = deploy;
    dry_run.push_back("--dry-run");
    step(dry_run, 0, token);
    step(deploy, 0, token);
    step({"collector", "status"}, 0);
    // An update whose pods crash: the undo puts the previous objects back with kubectl replace.
    cxtm::write_file_atomic(cluster.config(), changed(config));
    cluster.server.set_pod_behaviour("otel-collector", PodBehaviour::crash_loop("exit 1", 1));
    const auto undone = step(deploy, 1, {{"SPLUNK_ACCESS_TOKEN", kToken + "-rotated"}});
    for (const char* object : {"daemonset.apps", "configmap", "service", "secret"}) {
      CAPTURE(object);
      const std::string name = std::string(object) == "secret" ? "splunk-access-token" : kName;
      CHECK(contains(undone.err, std::string(object) + "/" + name + " restored (undo)"));
    }
    cxtm::write_file_atomic(cluster.config(), config);
    cluster.server.set_pod_behaviour("otel-collector", PodBehaviour::ready());

    step(fast({"instrument", "scheduler", "--dry-run"}), 0);
    step(fast({"instrument", "scheduler"}), 0);
    PodBehaviour crash = PodBehaviour::crash_loop("No module named 'opentelemetry'", 1);
    crash.when_init_container = "otel-auto-instrumentation";
    cluster.server.set_pod_behaviour("cxtm-notifications", crash);
    const auto rolled_back = step(fast({"instrument", "notifications"}), 1);
    CHECK(contains(rolled_back.err, "rolled back to the original"));
    step({"status"}, 0);
    step({"backup", "list"}, 0);
    step({"backup", "show", "scheduler"}, 0);
    step({"backup", "create", "scheduler"}, 0);
    step({"backup", "create", "notifications"}, 0);
    step(fast({"rollback", "scheduler"}), 0);
    step({"collector", "delete", "--dry-run"}, 0);
    const auto deleted = step({"collector", "delete"}, 0);
    // The admin's objects stay, and say whose they are.
    for (const char* object : {"clusterrole.rbac.authorization.k8s.io/otel-collector",
                               "clusterrolebinding.rbac.authorization.k8s.io/otel-collector",
                               "secret/splunk-access-token"}) {
      CHECK(contains(deleted.out, std::string(object) + " kept (an admin's to delete)"));
    }
    CHECK(contains(deleted.out, "an admin deletes the rest"));

    ValidateWorld world;
    world.kube.enforce_rbac_file(kRbac);
    {
      const auto validated = world.validate({});
      INFO("validate\n", validated.out, validated.err);
      CHECK(validated.exit_code == 0);
    }

    std::vector<Authorization> log = cluster.server.authorizations();
    const auto validate_log = world.kube.authorizations();
    log.insert(log.end(), validate_log.begin(), validate_log.end());
    const std::string refusals = fmt::format("{}", fmt::join(refused(log), "\n"));
    INFO("refused:\n", refusals);
    CHECK(refusals.empty());

    const auto requests = granted(log);
    std::set<Permission> used;
    for (const auto& request : requests) used.insert(permission_of(request));
    INFO("used:\n", describe(used));

    std::vector<std::string> unused;
    for (const Grant& grant : grants_of(cxtm::read_file(kRbac))) {
      const bool kept = kKeptForUpgrades.count(describe(grant)) > 0;
      if (uses(grant, requests) == kept) unused.push_back(describe(grant));
    }
    const std::string unused_text = fmt::format("{}", fmt::join(unused, "\n"));
    CHECK_MESSAGE(unused.empty(),
                  "granted and used by no command, or kept for upgrades and used:\n", unused_text);

    // validate asks about every permission a command uses, and only those. Not asked: creating
    // the reviews themselves (every user may, through system:basic-user).
    used.erase({"create", "authorization.k8s.io", "selfsubjectaccessreviews", ""});
    std::set<Permission> not_asked;
    std::set<Permission> asked_unused;
    const std::set<Permission> questions = asked(cxtm::config::load_config(cluster.config()));
    std::set_difference(used.begin(), used.end(), questions.begin(), questions.end(),
                        std::inserter(not_asked, not_asked.end()));
    std::set_difference(questions.begin(), questions.end(), used.begin(), used.end(),
                        std::inserter(asked_unused, asked_unused.end()));
    CHECK_MESSAGE(not_asked.empty(), "used, not asked by validate:\n", describe(not_asked));
    CHECK_MESSAGE(asked_unused.empty(), "asked by validate, used by no command:\n",
                  describe(asked_unused));

    // And docs/permissions.md's table says each of them: a row with the verb and the resource.
    const auto rows = documented_permission_rows();
    std::set<Permission> not_documented;
    for (const auto& permission : used) {
      if (!documented_names(rows, permission)) not_documented.insert(permission);
    }
    CHECK_MESSAGE(not_documented.empty(), "used, not in docs/permissions.md's table:\n",
                  describe(not_documented));
  }
}

TEST_SUITE("integration/operator_rbac") {
  TEST_CASE(
      "the admin's objects missing or changed: deploy refuses before any write and names "
      "the admin's command") {
    ClusterCli cluster;
    cluster.server.enforce_rbac_file(kRbac);
    const std::map<std::string, std::string> token = {{"SPLUNK_ACCESS_TOKEN", kToken}};
    const auto missing = cluster.run({"collector", "deploy", "--timeout", "20s"}, "", token);
    INFO(missing.out, missing.err);
    CHECK(missing.exit_code == 5);
    CHECK(cxtm::testing::lines_starting(missing.err, cxtm::testing::kErrorPrefix).size() == 1);
    for (const char* expected :
         {"clusterrole.rbac.authorization.k8s.io/otel-collector is missing",
          "clusterrolebinding.rbac.authorization.k8s.io/otel-collector is missing",
          "an admin applies them once: cxtm-o11y render --part cluster | kubectl apply -f -",
          "secret/splunk-access-token is missing",
          "SPLUNK_ACCESS_TOKEN=... cxtm-o11y render --part secret --include-secret | kubectl "
          "apply -f -",
          "nothing was applied"}) {
      CHECK(contains(missing.err, expected));
    }
    CHECK_FALSE(cluster.server.get("/api/v1/namespaces/default/configmaps/otel-collector"));
    CHECK_FALSE(cluster.server.get("/apis/apps/v1/namespaces/default/daemonsets/otel-collector"));

    // `create` alone does not make a server-side apply of a new object: it needs `patch` too.
    cluster.server.enforce_rbac(cxtm::read_file(kRbac) + R"(
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: creates-only}
rules:
  - apiGroups: [rbac.authorization.k8s.io]
    resources: [clusterroles, clusterrolebindings]
    verbs: [create]
)");
    const auto creates_only = cluster.run({"collector", "deploy", "--timeout", "20s"}, "", token);
    INFO(creates_only.out, creates_only.err);
    CHECK(creates_only.exit_code == 5);
    CHECK(contains(creates_only.err,
                   "clusterrole.rbac.authorization.k8s.io/otel-collector is "
                   "missing"));
    CHECK(contains(creates_only.err, "nothing was applied"));
    CHECK_FALSE(cluster.server.get("/api/v1/namespaces/default/configmaps/otel-collector"));
    cluster.server.enforce_rbac_file(kRbac);

    // The admin applies them, then someone widens the ClusterRole: the operator may not put it
    // back either.
    cluster.server.allow_everything();
    admin_applies(cluster, "cluster");
    admin_applies(cluster, "secret");
    const std::string role = "/apis/rbac.authorization.k8s.io/v1/clusterroles/otel-collector";
    Json widened = *cluster.server.get(role);
    widened["rules"].push_back(
        {{"apiGroups", {""}}, {"resources", {"secrets"}}, {"verbs", {"get"}}});
    cluster.server.put_object(widened);
    cluster.server.enforce_rbac_file(kRbac);
    const auto differs = cluster.run({"collector", "deploy", "--timeout", "20s"}, "", token);
    INFO(differs.out, differs.err);
    CHECK(differs.exit_code == 5);
    CHECK(contains(differs.err,
                   "clusterrole.rbac.authorization.k8s.io/otel-collector differs "
                   "from what cxtm-o11y renders"));
    CHECK_FALSE(contains(differs.err, "clusterrolebinding"));
    CHECK_FALSE(cluster.server.get("/api/v1/namespaces/default/configmaps/otel-collector"));
  }
}

TEST_SUITE("integration/operator_rbac") {
  TEST_CASE("instrument --via operator under both RBAC files: nothing refused, nothing unused") {
    const std::string extra = CXTM_SOURCE_DIR "/examples/operator-rbac-otel-operator.yaml";
    ClusterCli cluster;
    cluster.seed("minimal", "cxtm-scheduler");
    // The admin installs the Operator: its CRD, its webhook (whose cache lags 2 s and misses
    // the first pod, so that pods are replaced and pods/delete is used).
    REQUIRE(cluster
                .kubectl({"create", "-f",
                          CXTM_SOURCE_DIR
                          "/test/testdata/operator/opentelemetry.io_instrumentations.yaml"})
                .exit_code == 0);
    REQUIRE(cluster
                .kubectl({"wait", "--for=condition=established", "--timeout=20s",
                          "crd/instrumentations.opentelemetry.io"})
                .exit_code == 0);
    cluster.server.install_operator_webhook(200, 1);
    cxtm::write_file_atomic(cluster.config(), cxtm::read_file(cluster.config()) +
                                                  "instrumentation:\n  via: operator\n");
    cluster.server.enforce_rbac(cxtm::read_file(kRbac) + "\n---\n" + cxtm::read_file(extra));
    for (const auto& arguments :
         std::vector<std::vector<std::string>>{fast({"instrument", "scheduler", "--dry-run"}),
                                               fast({"instrument", "scheduler"}),
                                               {"status", "scheduler"},
                                               fast({"rollback", "scheduler"})}) {
      const auto result = cluster.run(arguments);
      INFO(fmt::format("{}", fmt::join(arguments, " ")), "\n", result.out, result.err);
      CHECK(result.exit_code == 0);
    }
    const auto log = cluster.server.authorizations();
    const std::string refusals = fmt::format("{}", fmt::join(refused(log), "\n"));
    INFO("refused:\n", refusals);
    CHECK(refusals.empty());
    const auto requests = granted(log);
    std::vector<std::string> unused;
    for (const Grant& grant : grants_of(cxtm::read_file(extra))) {
      if (!uses(grant, requests)) unused.push_back(describe(grant));
    }
    CHECK_MESSAGE(unused.empty(), "granted, used by no command:\n",
                  fmt::format("{}", fmt::join(unused, "\n")));
    // validate asks about each of them, and docs/permissions.md's table names each.
    const std::set<Permission> questions = asked(cxtm::config::load_config(cluster.config()));
    const auto rows = documented_permission_rows();
    for (const auto& request : requests) {
      const Permission permission = permission_of(request);
      if (permission.group != "opentelemetry.io" &&
          !(permission.resource == "pods" && permission.verb == "delete")) {
        continue;
      }
      CAPTURE(describe(permission));
      CHECK(questions.contains(permission));
      CHECK(documented_names(rows, permission));
    }
  }
}

}  // namespace test_integration_operator_rbac
