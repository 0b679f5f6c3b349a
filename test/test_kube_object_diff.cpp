#include <doctest/doctest.h>

#include "kube/object_diff.h"

namespace test_kube_object_diff {

using cxtm::Json;
using namespace cxtm::kube;

TEST_SUITE("kube/object_diff") {
  TEST_CASE("server-owned fields do not count as a change") {
    const Json live = {{"kind", "ConfigMap"},
                       {"metadata",
                        {{"name", "c"},
                         {"resourceVersion", "12"},
                         {"uid", "u"},
                         {"managedFields", Json::array()},
                         {"creationTimestamp", "t"}}},
                       {"data", {{"a", "1"}}}};
    const Json proposed = {{"kind", "ConfigMap"},
                           {"metadata", {{"name", "c"}, {"resourceVersion", "13"}}},
                           {"data", {{"a", "1"}}}};
    CHECK(object_diff("configmap/c", live, proposed).empty());
  }

  TEST_CASE("a changed value shows as a unified diff") {
    const Json live = {
        {"kind", "ConfigMap"}, {"metadata", {{"name", "c"}}}, {"data", {{"a", "1"}}}};
    Json proposed = live;
    proposed["data"]["a"] = "2";
    CHECK(object_diff("configmap/c", live, proposed) ==
          "--- live/configmap/c\n+++ proposed/configmap/c\n@@ -2,4 +2,4 @@\n metadata:\n"
          "   name: c\n data:\n-  a: \"1\"\n+  a: \"2\"\n");
  }

  TEST_CASE("a new object diffs against /dev/null") {
    const Json proposed = {{"kind", "ConfigMap"}, {"metadata", {{"name", "c"}}}};
    const auto diff = object_diff("configmap/c", std::nullopt, proposed);
    CHECK(diff.starts_with("--- /dev/null\n+++ proposed/configmap/c\n"));
    CHECK(diff.find("+kind: ConfigMap") != std::string::npos);
  }

  TEST_CASE("Secret values are masked, and a changed one is told apart") {
    const Json live = {
        {"kind", "Secret"}, {"metadata", {{"name", "s"}}}, {"data", {{"t", "b2xk"}}}};
    Json proposed = live;
    proposed["data"]["t"] = "bmV3";
    const auto diff = object_diff("secret/s", live, proposed);
    CHECK(diff.find("b2xk") == std::string::npos);
    CHECK(diff.find("bmV3") == std::string::npos);
    CHECK(diff.find("-  t: \"*** (before)\"") != std::string::npos);
    CHECK(diff.find("+  t: \"*** (after)\"") != std::string::npos);
    CHECK(object_diff("secret/s", live, live).empty());
  }
}

}  // namespace test_kube_object_diff
