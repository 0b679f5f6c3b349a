// fixtures/kube_request_info and fixtures/kube_rbac: a request's RBAC attributes as
// kube-apiserver derives them, rule matching with the real wildcards and the escalation check;
// and the fake API server enforcing them, as the real kubectl meets it (`kubectl auth can-i`,
// a refused `kubectl get`, a ClusterRole and its binding written without escalate or bind).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/json.h"
#include "fixtures/fake_kube_api_server.h"
#include "fixtures/kube_rbac.h"
#include "fixtures/kube_request_info.h"
#include "support/kubectl_runner.h"
#include "support/text.h"

namespace test_fixtures_kube_rbac {

using cxtm::Json;
using cxtm::testing::contains;
using cxtm::testing::FakeKubeApiServer;
using cxtm::testing::Kubectl;
using namespace cxtm::testing::kubefake;

namespace {

// One Role in default and one ClusterRole, as a user might be given them.
const std::string kPolicy = R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
rules:
  - apiGroups: [""]
    resources: [namespaces]
    verbs: [get]
  - apiGroups: [rbac.authorization.k8s.io]
    resources: [clusterroles, clusterrolebindings]
    verbs: [create]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: operator, namespace: default}
rules:
  - apiGroups: [apps]
    resources: [deployments]
    verbs: [get, list]
  - apiGroups: [""]
    resources: [configmaps]
    resourceNames: [mine]
    verbs: [get, update, delete]
  - apiGroups: [""]
    resources: [pods/log, "*/proxy"]
    verbs: [get]
)";

RequestAttributes attributes(const char* method, const char* path, bool watch = false) {
  return request_attributes(method, path, watch);
}

// Whether the policy lets through method on path.
bool lets(const Policy& policy, const char* method, const char* path, bool watch = false) {
  return allows(policy, attributes(method, path, watch));
}

// What `kubectl auth can-i ARGUMENTS` prints: "yes\n" or "no\n".
std::string can_i(const Kubectl& kubectl, std::vector<std::string> arguments) {
  arguments.insert(arguments.begin(), {"auth", "can-i"});
  return kubectl.run(arguments).out;
}

}  // namespace

TEST_SUITE("fixtures/kube_rbac") {
  TEST_CASE("a request's verb, group, resource, subresource, namespace and name") {
    const auto log = attributes("GET", "/api/v1/namespaces/default/pods/p-1/log");
    CHECK(log.resource_request);
    CHECK(log.verb == "get");
    CHECK(log.api_group == "");
    CHECK(log.resource_and_subresource() == "pods/log");
    CHECK(log.namespace_ == "default");
    CHECK(log.name == "p-1");

    const auto proxy = attributes(
        "POST", "/api/v1/namespaces/default/services/http:otel-collector:4318/proxy/v1/traces");
    CHECK(proxy.verb == "create");
    CHECK(proxy.resource_and_subresource() == "services/proxy");
    CHECK(proxy.name == "http:otel-collector:4318");

    CHECK(attributes("GET", "/apis/apps/v1/namespaces/default/replicasets").verb == "list");
    CHECK(attributes("GET", "/apis/apps/v1/namespaces/default/replicasets", true).verb == "watch");
    CHECK(attributes("GET", "/apis/apps/v1/deployments").namespace_ == "");
    CHECK(attributes("PUT", "/apis/apps/v1/namespaces/x/deployments/d").verb == "update");
    CHECK(attributes("PATCH", "/apis/apps/v1/namespaces/x/deployments/d/scale").verb == "patch");
    CHECK(attributes("DELETE", "/api/v1/namespaces/x/configmaps/c").verb == "delete");
    CHECK(attributes("DELETE", "/api/v1/namespaces/x/configmaps").verb == "deletecollection");

    // A namespace is its own namespace, and a node has none.
    const auto ns = attributes("GET", "/api/v1/namespaces/team-a");
    CHECK(ns.resource == "namespaces");
    CHECK(ns.name == "team-a");
    CHECK(ns.namespace_ == "team-a");
    CHECK(attributes("GET", "/api/v1/nodes").namespace_ == "");

    for (const char* path :
         {"/api", "/api/v1", "/apis", "/apis/apps/v1", "/version", "/openapi/v3/apis/apps/v1"}) {
      CAPTURE(path);
      CHECK_FALSE(attributes("GET", path).resource_request);
    }
  }

  TEST_CASE("rules match verbs, groups, resources and names as Kubernetes' RBAC does") {
    const Policy policy = parse_policy(kPolicy);
    CHECK(lets(policy, "GET", "/apis/apps/v1/namespaces/default/deployments/web"));
    CHECK(lets(policy, "GET", "/apis/apps/v1/namespaces/default/deployments"));
    CHECK_FALSE(lets(policy, "GET", "/apis/apps/v1/namespaces/default/deployments", true));
    CHECK_FALSE(lets(policy, "PUT", "/apis/apps/v1/namespaces/default/deployments/web"));
    // A Role applies in its namespace only.
    CHECK_FALSE(lets(policy, "GET", "/apis/apps/v1/namespaces/other/deployments/web"));
    CHECK_FALSE(lets(policy, "GET", "/apis/apps/v1/deployments"));
    // A ClusterRole everywhere.
    CHECK(lets(policy, "GET", "/api/v1/namespaces/other"));
    // resourceNames: only requests that name the object.
    CHECK(lets(policy, "GET", "/api/v1/namespaces/default/configmaps/mine"));
    CHECK(lets(policy, "PUT", "/api/v1/namespaces/default/configmaps/mine"));
    CHECK_FALSE(lets(policy, "GET", "/api/v1/namespaces/default/configmaps/theirs"));
    CHECK_FALSE(lets(policy, "GET", "/api/v1/namespaces/default/configmaps"));
    CHECK_FALSE(lets(policy, "DELETE", "/api/v1/namespaces/default/configmaps"));
    CHECK_FALSE(lets(policy, "POST", "/api/v1/namespaces/default/configmaps"));
    // Subresources: exactly, or any resource's by */sub; the resource alone grants none.
    CHECK(lets(policy, "GET", "/api/v1/namespaces/default/pods/p/log"));
    CHECK_FALSE(lets(policy, "GET", "/api/v1/namespaces/default/pods/p"));
    CHECK(lets(policy, "GET", "/api/v1/namespaces/default/services/http:s:80/proxy/x"));
    CHECK(lets(policy, "GET", "/api/v1/namespaces/default/pods/p:8888/proxy/metrics"));
    CHECK_FALSE(lets(policy, "POST", "/api/v1/namespaces/default/services/s:80/proxy/x"));
    // Discovery and access reviews for everyone.
    CHECK(lets(policy, "GET", "/apis/apps/v1"));
    CHECK(lets(policy, "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"));

    const Policy everything = parse_policy(
        "kind: ClusterRole\nrules:\n- apiGroups: ['*']\n  resources: ['*']\n  verbs: ['*']\n");
    CHECK(lets(everything, "DELETE", "/api/v1/namespaces/x/pods/p"));
    CHECK(lets(everything, "GET", "/api/v1/namespaces/x/pods/p/log"));
  }

  TEST_CASE("granting rules needs holding them: what is missing, one line each") {
    const std::vector<PolicyRule> held = {
        {{""}, {"pods", "*/log"}, {"get", "list"}, {}},
        {{"apps"}, {"*"}, {"*"}, {}},
        {{""}, {"secrets"}, {"get"}, {"token"}},
    };
    CHECK(not_held(held, {{{""}, {"pods"}, {"list"}, {}}}).empty());
    CHECK(not_held(held, {{{""}, {"pods/log"}, {"get"}, {}}}).empty());
    CHECK(not_held(held, {{{"apps"}, {"deployments", "replicasets"}, {"watch"}, {}}}).empty());
    CHECK(not_held(held, {{{""}, {"secrets"}, {"get"}, {"token"}}}).empty());
    CHECK(not_held(held, {{{""}, {"pods"}, {"get", "watch"}, {}}}) ==
          std::vector<std::string>{R"({APIGroups:[""], Resources:["pods"], Verbs:["watch"]})"});
    // A rule by name does not cover the same rule for every object.
    CHECK(not_held(held, {{{""}, {"secrets"}, {"get"}, {}}}).size() == 1);
    CHECK(
        not_held(held, {{{""}, {"secrets"}, {"get"}, {"token", "other"}}}) ==
        std::vector<std::string>{
            R"({APIGroups:[""], Resources:["secrets"], ResourceNames:["other"], Verbs:["get"]})"});
    // A wildcard is granted only by a wildcard.
    CHECK(not_held(held, {{{""}, {"*"}, {"get"}, {}}}).size() == 1);
  }

  TEST_CASE("kubectl auth can-i is answered from the rules, and deny() still refuses") {
    FakeKubeApiServer server;
    server.enforce_rbac(kPolicy);
    const Kubectl kubectl(server);
    CHECK(can_i(kubectl, {"list", "deployments.apps", "-n", "default"}) == "yes\n");
    CHECK(can_i(kubectl, {"watch", "deployments.apps", "-n", "default"}) == "no\n");
    CHECK(can_i(kubectl, {"list", "deployments.apps", "-n", "kube-system"}) == "no\n");
    CHECK(can_i(kubectl, {"get", "configmaps/mine", "-n", "default"}) == "yes\n");
    CHECK(can_i(kubectl, {"get", "configmaps", "-n", "default"}) == "no\n");
    CHECK(can_i(kubectl, {"get", "pods", "--subresource=log", "-n", "default"}) == "yes\n");
    CHECK(can_i(kubectl, {"get", "namespaces/kube-system"}) == "yes\n");
    server.deny("list", "deployments", "apps");
    CHECK(can_i(kubectl, {"list", "deployments.apps", "-n", "default"}) ==
          "no - denied by the fake API server\n");
  }

  TEST_CASE("a refused kubectl get shows the real 403, and a refused write changes nothing") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    server.put_object({{"apiVersion", "v1"},
                       {"kind", "ConfigMap"},
                       {"metadata", {{"name", "theirs"}, {"namespace", "default"}}},
                       {"data", {{"a", "1"}}}});
    server.enforce_rbac(kPolicy);

    const auto get = kubectl.run({"get", "configmap", "theirs", "-o", "name"});
    CHECK(get.exit_code == 1);
    CHECK(get.err ==
          "Error from server (Forbidden): configmaps \"theirs\" is forbidden: User \"fake-user\" "
          "cannot get resource \"configmaps\" in API group \"\" in the namespace \"default\"\n");
    const auto list = kubectl.run({"get", "pods", "-A"});
    CHECK(contains(list.err,
                   "pods is forbidden: User \"fake-user\" cannot list resource "
                   "\"pods\" in API group \"\" at the cluster scope"));
    const auto remove = kubectl.run({"delete", "configmap", "theirs"});
    CHECK(remove.exit_code == 1);
    CHECK(server.get("/api/v1/namespaces/default/configmaps/theirs").has_value());

    const auto authorizations = server.authorizations();
    REQUIRE_FALSE(authorizations.empty());
    CHECK(authorizations.back().request.describe() == "delete configmaps \"theirs\" in default");
    CHECK_FALSE(authorizations.back().allowed);
  }

  TEST_CASE("a ClusterRole granting more than the user holds needs escalate, its binding bind") {
    FakeKubeApiServer server;
    server.enforce_rbac(kPolicy);
    const Kubectl kubectl(server);
    const std::string role = R"({"apiVersion": "rbac.authorization.k8s.io/v1",
      "kind": "ClusterRole", "metadata": {"name": "%s"},
      "rules": [{"apiGroups": [""], "resources": ["namespaces"], "verbs": [%s]}]})";
    const auto with = [&](const std::string& name, const std::string& verbs) {
      std::string text = role;
      text.replace(text.find("%s"), 2, name);
      text.replace(text.find("%s"), 2, verbs);
      return text;
    };
    // What the user holds may be handed on.
    CHECK(kubectl.run({"create", "-f", "-"}, with("held", "\"get\"")).exit_code == 0);
    const auto more = kubectl.run({"create", "-f", "-"}, with("more", "\"get\", \"list\""));
    CHECK(more.exit_code == 1);
    CHECK(more.err ==
          "Error from server (Forbidden): error when creating \"STDIN\": "
          "clusterroles.rbac.authorization.k8s.io \"more\" is forbidden: user \"fake-user\" "
          "(groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not "
          "currently held:\n{APIGroups:[\"\"], Resources:[\"namespaces\"], Verbs:[\"list\"]}\n");
    CHECK_FALSE(server.get("/apis/rbac.authorization.k8s.io/v1/clusterroles/more").has_value());

    // A binding to a role the user holds every rule of; to another, bind is needed.
    server.put_object(Json::parse(with("admin", "\"*\"")));
    const auto bind = [&](const std::string& name, const std::string& role_name) {
      const Json binding = {{"apiVersion", "rbac.authorization.k8s.io/v1"},
                            {"kind", "ClusterRoleBinding"},
                            {"metadata", {{"name", name}}},
                            {"roleRef",
                             {{"apiGroup", "rbac.authorization.k8s.io"},
                              {"kind", "ClusterRole"},
                              {"name", role_name}}},
                            {"subjects", Json::array({{{"kind", "User"}, {"name", "someone"}}})}};
      return kubectl.run({"create", "-f", "-"}, binding.dump());
    };
    CHECK(bind("to-held", "held").exit_code == 0);
    const auto admin = bind("to-admin", "admin");
    CHECK(admin.exit_code == 1);
    CHECK(contains(admin.err,
                   "clusterrolebindings.rbac.authorization.k8s.io \"to-admin\" is "
                   "forbidden: user \"fake-user\""));
    const auto authorizations = server.authorizations();
    REQUIRE_FALSE(authorizations.empty());
    CHECK(authorizations.back().request.describe() ==
          "bind clusterroles.rbac.authorization.k8s.io \"admin\" (cluster)");

    server.enforce_rbac(kPolicy +
                        "---\nkind: ClusterRole\nrules:\n- apiGroups: [rbac.authorization.k8s.io]\n"
                        "  resources: [clusterroles]\n  resourceNames: [admin]\n"
                        "  verbs: [bind]\n");
    CHECK(bind("to-admin", "admin").exit_code == 0);
  }
}

}  // namespace test_fixtures_kube_rbac
