// The API server double's unknown-field check of the built-in kinds (fixtures/
// kube_builtin_fields.h): the fields of the Kubernetes API types, at any depth, through arrays and
// maps, with the paths the real server's decoder names.

#include <doctest/doctest.h>

#include "core/json.h"
#include "fixtures/kube_builtin_fields.h"

namespace test_fixtures_kube_builtin_fields {

using cxtm::Json;
using cxtm::testing::kubefake::drop_unknown_fields;

TEST_SUITE("fixtures/kube_builtin_fields") {
  TEST_CASE(
      "a Deployment: the unknown fields go, named by path, and maps and free-form fields stay") {
    Json deployment = Json::parse(R"({"apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": {"name": "web", "annotations": {"x/y": "1"}, "colour": "red",
                   "managedFields": [{"manager": "m", "fieldsV1": {"f:spec": {}}}]},
      "spec": {"replicas": 2, "strategy": {"rollingUpdate": {"maxSurge": "25%"}},
        "template": {"spec": {
          "containers": [{"name": "a", "env": [{"name": "X", "value": "1", "secret": true}]},
                         {"name": "b", "resources": {"limits": {"cpu": 1}}, "limit": 2}],
          "initContainers": [{"name": "i", "restartPolicy": "Always"}],
          "volumes": [{"name": "v", "emptyDir": {}}]}}},
      "status": {"replicas": 2, "progress": "most"}})");
    const auto unknown = drop_unknown_fields("apps/v1", "Deployment", deployment);
    CHECK(unknown == std::vector<std::string>{
                         "metadata.colour", "spec.template.spec.containers[0].env[0].secret",
                         "spec.template.spec.containers[1].limit", "status.progress"});
    CHECK_FALSE(deployment["metadata"].contains("colour"));
    CHECK_FALSE(deployment["spec"]["template"]["spec"]["containers"][1].contains("limit"));
    CHECK(deployment["metadata"]["annotations"]["x/y"] == "1");
    CHECK(deployment["metadata"]["managedFields"][0]["fieldsV1"]["f:spec"] == Json::object());
    CHECK(deployment["spec"]["template"]["spec"]["containers"][1]["resources"]["limits"]["cpu"] ==
          1);
    // A native sidecar's restartPolicy is a field (Kubernetes 1.28+).
    CHECK(deployment["spec"]["template"]["spec"]["initContainers"][0]["restartPolicy"] == "Always");
  }

  TEST_CASE("a map of API types is walked by its values, a kind the table lacks is left alone") {
    Json crd = Json::parse(R"({"apiVersion": "apiextensions.k8s.io/v1",
      "kind": "CustomResourceDefinition", "metadata": {"name": "ws.example.com"},
      "spec": {"versions": [{"name": "v1", "schema": {"openAPIV3Schema": {"type": "object",
        "properties": {"spec": {"type": "object", "x-kubernetes-preserve-unknown-fields": true,
                                "typo": 1}}}}}]}})");
    CHECK(drop_unknown_fields("apiextensions.k8s.io/v1", "CustomResourceDefinition", crd) ==
          std::vector<std::string>{"spec.versions[0].schema.openAPIV3Schema.properties.spec.typo"});
    Json widget = {{"apiVersion", "example.com/v1"}, {"kind", "Widget"}, {"anything", 1}};
    CHECK(drop_unknown_fields("example.com/v1", "Widget", widget).empty());
    CHECK(widget.contains("anything"));
  }
}

}  // namespace test_fixtures_kube_builtin_fields
