// examples/operator-rbac.yaml, the least-privilege Role and ClusterRole docs/permissions.md
// gives the operator: what it must not grant. That it grants what the commands use, and nothing
// they do not, test_integration_operator_rbac.cpp checks by running them under it.
#include <doctest/doctest.h>

#include <string>

#include "core/atomic_file.h"
#include "fixtures/kube_rbac.h"

namespace test_examples_operator_rbac {

using cxtm::testing::kubefake::allows;
using cxtm::testing::kubefake::parse_policy;
using cxtm::testing::kubefake::Policy;
using cxtm::testing::kubefake::PolicyRule;
using cxtm::testing::kubefake::request_attributes;

namespace {

const std::string kRbac = CXTM_SOURCE_DIR "/examples/operator-rbac.yaml";

bool lets(const Policy& policy, const char* method, const char* path) {
  return allows(policy, request_attributes(method, path, false));
}

}  // namespace

TEST_SUITE("examples/operator_rbac") {
  TEST_CASE("no write on RBAC, no Secret created or deleted, ConfigMaps and proxies by name") {
    const Policy policy = parse_policy(cxtm::read_file(kRbac));
    // Who may write RBAC objects may make themselves cluster-admin (issue 14, item 2): the
    // collector's ClusterRole and ClusterRoleBinding are an admin's (render --part cluster).
    for (const char* resource : {"clusterroles", "clusterrolebindings"}) {
      for (const char* name : {"otel-collector", "admin", ""}) {
        for (const char* verb : {"create", "patch", "update", "delete", "escalate", "bind"}) {
          CAPTURE(resource);
          CAPTURE(name);
          CAPTURE(verb);
          CHECK_FALSE(allows(policy, {.resource_request = true,
                                      .verb = verb,
                                      .api_group = "rbac.authorization.k8s.io",
                                      .resource = resource,
                                      .name = name}));
        }
      }
    }
    CHECK(lets(policy, "GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/otel-collector"));
    // Create on Secrets plus delete on the token Secret would let the operator recreate it as a
    // service-account-token Secret and read another ServiceAccount's token (item 5).
    const std::string token = "/api/v1/namespaces/default/secrets/splunk-access-token";
    CHECK_FALSE(lets(policy, "POST", "/api/v1/namespaces/default/secrets"));
    CHECK_FALSE(lets(policy, "DELETE", token.c_str()));
    CHECK(lets(policy, "GET", token.c_str()));
    CHECK(lets(policy, "PATCH", token.c_str()));
    CHECK_FALSE(lets(policy, "GET", "/api/v1/namespaces/default/secrets/someone-elses-secret"));
    CHECK_FALSE(lets(policy, "GET", "/api/v1/namespaces/default/secrets"));
    CHECK_FALSE(lets(policy, "GET", "/api/v1/namespaces/kube-system/configmaps/x"));
    // The namespace's other ConfigMaps (the apps' settings) stay unread (item 13).
    CHECK_FALSE(lets(policy, "GET", "/api/v1/namespaces/default/configmaps"));
    CHECK_FALSE(lets(policy, "GET", "/api/v1/namespaces/default/configmaps/app-settings"));
    CHECK(lets(policy, "GET", "/api/v1/namespaces/default/configmaps/otel-collector"));
    // The service proxy reaches the collector's health and OTLP ports, nothing else.
    CHECK_FALSE(
        lets(policy, "GET", "/api/v1/namespaces/default/services/cxtm-scheduler:8080/proxy/"));
    CHECK(lets(policy, "GET", "/api/v1/namespaces/default/services/otel-collector:13133/proxy/"));
    CHECK_FALSE(lets(policy, "PATCH", "/apis/apps/v1/namespaces/default/deployments/x"));
    std::vector<PolicyRule> every = policy.cluster_rules;
    for (const auto& [namespace_, rules] : policy.namespace_rules) {
      every.insert(every.end(), rules.begin(), rules.end());
    }
    for (const PolicyRule& rule : every) {
      for (const auto* values : {&rule.api_groups, &rule.resources, &rule.verbs}) {
        for (const std::string& value : *values) CHECK(value.find('*') == std::string::npos);
      }
    }
  }
}

}  // namespace test_examples_operator_rbac
