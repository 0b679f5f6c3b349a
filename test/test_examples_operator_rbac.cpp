// examples/operator-rbac.yaml, the least-privilege Role and ClusterRole the README gives the
// operator, kept in step with what the tool does: every permission validate's access check asks
// for, and create + patch + get + delete of every object collector deploy renders.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <string>
#include <vector>

#include "config/config.h"
#include "render/manifests.h"
#include "validate/access.h"

namespace {

const std::string kExample = CXTM_SOURCE_DIR "/examples/cxtm-poc.yaml";
const std::string kRbac = CXTM_SOURCE_DIR "/examples/operator-rbac.yaml";

struct Rule {
  bool cluster_wide = false;
  std::vector<std::string> groups, resources, verbs, names;
};

std::vector<std::string> strings(const YAML::Node& node) {
  std::vector<std::string> values;
  for (const auto& item : node) values.push_back(item.as<std::string>());
  return values;
}

bool has(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

std::vector<Rule> operator_rules() {
  std::vector<Rule> rules;
  for (const auto& document : YAML::LoadAllFromFile(kRbac)) {
    const bool cluster_wide = document["kind"].as<std::string>() == "ClusterRole";
    for (const auto& rule : document["rules"]) {
      rules.push_back({cluster_wide, strings(rule["apiGroups"]), strings(rule["resources"]),
                       strings(rule["verbs"]), strings(rule["resourceNames"])});
    }
  }
  return rules;
}

// Whether a rule grants verb on group/resource[/subresource], for the object `name` ("" for a
// question about any object, which a rule limited by name does not answer yes to).
bool granted(const std::vector<Rule>& rules, const std::string& verb, const std::string& group,
             const std::string& resource, const std::string& name = "") {
  return std::any_of(rules.begin(), rules.end(), [&](const Rule& rule) {
    return has(rule.verbs, verb) && has(rule.groups, group) && has(rule.resources, resource) &&
           (rule.names.empty() || (!name.empty() && has(rule.names, name)));
  });
}

// "daemonsets.apps" -> {"apps", "daemonsets"}; "pods" -> {"", "pods"}.
std::pair<std::string, std::string> group_and_resource(const std::string& resource) {
  const auto dot = resource.find('.');
  if (dot == std::string::npos) return {"", resource};
  return {resource.substr(dot + 1), resource.substr(0, dot)};
}

std::string plural(const std::string& kind) {
  std::string lower = kind;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  return lower + "s";
}

}  // namespace

TEST_SUITE("examples/operator_rbac") {
  TEST_CASE("the operator's Role grants everything validate's access check asks for") {
    const auto config = cxtm::config::load_config(kExample);
    const auto rules = operator_rules();
    const auto needs = cxtm::validate::access_needs(config);
    REQUIRE(needs.size() >= 10);
    for (const auto& need : needs) {
      const std::string described = cxtm::validate::describe(need.query);
      CAPTURE(described);
      const auto target = group_and_resource(need.query.resource);
      const std::string resource =
          target.second + (need.query.subresource.empty() ? "" : "/" + need.query.subresource);
      CHECK(granted(rules, need.query.verb, target.first, resource));
    }
  }

  TEST_CASE("and lets collector deploy create, apply, read and delete every rendered object") {
    const auto config = cxtm::config::load_config(kExample);
    const auto rules = operator_rules();
    const auto manifests = cxtm::render::render_manifests(config, std::string("fake-token"));
    REQUIRE(manifests.objects.size() >= 7);
    for (const auto& rendered : manifests.objects) {
      const std::string kind = rendered.object["kind"].get<std::string>();
      const std::string api_version = rendered.object["apiVersion"].get<std::string>();
      const std::string name = rendered.object["metadata"]["name"].get<std::string>();
      const auto slash = api_version.find('/');
      const std::string group = slash == std::string::npos ? "" : api_version.substr(0, slash);
      CAPTURE(kind);
      CHECK(granted(rules, "create", group, plural(kind)));
      for (const char* verb : {"get", "patch", "delete"}) {
        CAPTURE(verb);
        CHECK(granted(rules, verb, group, plural(kind), name));
      }
    }
  }

  TEST_CASE("a ClusterRole with more than the collector's rules would need escalate on it") {
    const auto rules = operator_rules();
    CHECK(
        granted(rules, "escalate", "rbac.authorization.k8s.io", "clusterroles", "otel-collector"));
    CHECK_FALSE(granted(rules, "escalate", "rbac.authorization.k8s.io", "clusterroles", "admin"));
    CHECK_FALSE(granted(rules, "get", "", "secrets", "someone-elses-secret"));
  }
}
