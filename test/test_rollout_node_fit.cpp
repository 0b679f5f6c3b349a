// Which nodes the collector's DaemonSet leaves out, and why, as the DaemonSet controller
// decides it: node selector, required node affinity, taints (with the tolerations every daemon
// pod gets), readiness.
#include <doctest/doctest.h>

#include "core/json.h"
#include "rollout/node_fit.h"

namespace test_rollout_node_fit {

using cxtm::Json;
using cxtm::rollout::describe_exclusions;
using cxtm::rollout::excluded_nodes;
using cxtm::rollout::why_not_on;

namespace {

Json node(const std::string& name, Json labels = Json::object(), Json taints = Json::array(),
          bool ready = true) {
  return {
      {"metadata", {{"name", name}, {"labels", std::move(labels)}}},
      {"spec", {{"taints", std::move(taints)}}},
      {"status",
       {{"conditions", Json::array({{{"type", "Ready"}, {"status", ready ? "True" : "False"}}})}}}};
}

Json taint(const std::string& key, const std::string& value, const std::string& effect) {
  Json entry = {{"key", key}, {"effect", effect}};
  if (!value.empty()) entry["value"] = value;
  return entry;
}

// The collector's pod spec as templates/manifests/70-daemonset.yaml renders it by default.
Json collector_spec() {
  return {{"nodeSelector", {{"kubernetes.io/os", "linux"}}},
          {"tolerations", Json::array({{{"key", "node-role.kubernetes.io/control-plane"},
                                        {"operator", "Exists"},
                                        {"effect", "NoSchedule"}}})}};
}

const Json kLinux = {{"kubernetes.io/os", "linux"}};

}  // namespace

TEST_SUITE("rollout/node_fit") {
  TEST_CASE("a plain linux node takes the collector, and a control-plane taint is tolerated") {
    CHECK_FALSE(why_not_on(collector_spec(), node("n1", kLinux)));
    CHECK_FALSE(why_not_on(
        collector_spec(),
        node("cp", kLinux,
             Json::array({taint("node-role.kubernetes.io/control-plane", "", "NoSchedule")}))));
  }

  TEST_CASE(
      "an untolerated NoSchedule or NoExecute taint leaves the node out, PreferNoSchedule "
      "does not") {
    CHECK(why_not_on(collector_spec(),
                     node("gpu", kLinux, Json::array({taint("dedicated", "gpu", "NoSchedule")}))) ==
          "taint dedicated=gpu:NoSchedule not tolerated");
    CHECK(why_not_on(collector_spec(),
                     node("e", kLinux, Json::array({taint("spot", "", "NoExecute")}))) ==
          "taint spot:NoExecute not tolerated");
    CHECK_FALSE(why_not_on(
        collector_spec(), node("p", kLinux, Json::array({taint("soft", "", "PreferNoSchedule")}))));
  }

  TEST_CASE(
      "tolerations match as Kubernetes matches them: Equal with value, Exists, empty key, "
      "empty effect") {
    const Json tainted =
        node("gpu", kLinux, Json::array({taint("dedicated", "gpu", "NoSchedule")}));
    Json spec = collector_spec();
    spec["tolerations"] = Json::array({{{"key", "dedicated"},
                                        {"operator", "Equal"},
                                        {"value", "cpu"},
                                        {"effect", "NoSchedule"}}});
    CHECK(why_not_on(spec, tainted));  // another value
    spec["tolerations"] =
        Json::array({{{"key", "dedicated"}, {"value", "gpu"}}});  // Equal, any effect
    CHECK_FALSE(why_not_on(spec, tainted));
    spec["tolerations"] =
        Json::array({{{"key", "dedicated"}, {"operator", "Exists"}, {"effect", "NoExecute"}}});
    CHECK(why_not_on(spec, tainted));                               // another effect
    spec["tolerations"] = Json::array({{{"operator", "Exists"}}});  // everything
    CHECK_FALSE(why_not_on(spec, tainted));
  }

  TEST_CASE("the daemon pods' own tolerations: a cordoned node or memory pressure still runs it") {
    Json cordoned = node("c", kLinux);
    cordoned["spec"]["unschedulable"] = true;
    CHECK_FALSE(why_not_on(collector_spec(), cordoned));
    CHECK_FALSE(why_not_on(
        collector_spec(),
        node("m", kLinux,
             Json::array({taint("node.kubernetes.io/memory-pressure", "", "NoSchedule")}))));
  }

  TEST_CASE("node selector, required node affinity and readiness") {
    CHECK(why_not_on(collector_spec(), node("w", {{"kubernetes.io/os", "windows"}})) ==
          "node selector kubernetes.io/os=linux not matched");
    CHECK(why_not_on(collector_spec(), node("bare")) ==
          "node selector kubernetes.io/os=linux not matched");
    CHECK(why_not_on(collector_spec(), node("down", kLinux, Json::array(), false)) == "not ready");

    Json spec = Json::object();
    spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
        ["nodeSelectorTerms"] = Json::array(
            {{{"matchExpressions",
               Json::array({{{"key", "pool"}, {"operator", "In"}, {"values", {"a", "b"}}}})}},
             {{"matchFields",
               Json::array(
                   {{{"key", "metadata.name"}, {"operator", "In"}, {"values", {"special"}}}})}}});
    CHECK_FALSE(why_not_on(spec, node("n", {{"pool", "b"}})));
    CHECK_FALSE(why_not_on(spec, node("special")));  // the second term
    CHECK(why_not_on(spec, node("n", {{"pool", "c"}})) == "required node affinity not matched");
  }

  TEST_CASE("excluded_nodes keeps the nodes' order, describe_exclusions names a few") {
    const std::vector<Json> nodes = {
        node("a", kLinux, Json::array({taint("x", "1", "NoSchedule")})), node("b", kLinux),
        node("c", kLinux, Json::array(), false), node("d"),
        node("e", kLinux, Json::array({taint("y", "", "NoExecute")}))};
    const auto excluded = excluded_nodes(collector_spec(), nodes);
    REQUIRE(excluded.size() == 4);
    CHECK(excluded[0].node == "a");
    CHECK(excluded[3].node == "e");
    CHECK(describe_exclusions(excluded, 2) ==
          "a (taint x=1:NoSchedule not tolerated), c (not ready) and 2 more");
  }
}

}  // namespace test_rollout_node_fit
