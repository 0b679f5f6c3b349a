// examples/operator-rbac.yaml, the least-privilege Role and ClusterRole the README gives the
// operator: what it must not grant. That it grants what the commands use, and nothing they do
// not, test_integration_operator_rbac.cpp checks by running them under it.
#include <doctest/doctest.h>

#include <string>

#include "core/atomic_file.h"
#include "fixtures/kube_rbac.h"

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
  TEST_CASE("escalate and bind only on the collector's ClusterRole, no other Secret, no wildcard") {
    const Policy policy = parse_policy(cxtm::read_file(kRbac));
    const std::string roles = "/apis/rbac.authorization.k8s.io/v1/clusterroles/";
    CHECK(allows(policy, {.resource_request = true,
                          .verb = "escalate",
                          .api_group = "rbac.authorization.k8s.io",
                          .resource = "clusterroles",
                          .name = "otel-collector"}));
    for (const char* verb : {"escalate", "bind"}) {
      CAPTURE(verb);
      CHECK_FALSE(allows(policy, {.resource_request = true,
                                  .verb = verb,
                                  .api_group = "rbac.authorization.k8s.io",
                                  .resource = "clusterroles",
                                  .name = "admin"}));
    }
    CHECK_FALSE(lets(policy, "PATCH", (roles + "admin").c_str()));
    CHECK_FALSE(lets(policy, "GET", "/api/v1/namespaces/default/secrets/someone-elses-secret"));
    CHECK_FALSE(lets(policy, "GET", "/api/v1/namespaces/default/secrets"));
    CHECK_FALSE(lets(policy, "GET", "/api/v1/namespaces/kube-system/configmaps/x"));
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
