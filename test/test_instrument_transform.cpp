#include <doctest/doctest.h>

#include <algorithm>

#include "core/error.h"
#include "instrument/env_merge.h"
#include "instrument/installer.h"
#include "instrument/transform.h"
#include "support/package_sets.h"
#include "support/text.h"

namespace test_instrument_transform {

using cxtm::Error;
using cxtm::ExitCode;
using cxtm::Json;
using namespace cxtm::instrument;
using cxtm::testing::contains;

namespace {

constexpr std::string_view kAppImage = "registry.example.com/scheduler:2.14.1-py3.12";
constexpr std::string_view kWrapped =
    "/otel-auto-instrumentation/cxtm-o11y:/otel-auto-instrumentation";

Json var(std::string_view name, std::string_view value) {
  return Json{{"name", name}, {"value", value}};
}

Json secret_var(std::string_view name, std::string_view secret, std::string_view key) {
  return Json{{"name", name}, {"valueFrom", {{"secretKeyRef", {{"key", key}, {"name", secret}}}}}};
}

Json field_var(std::string_view name, std::string_view path) {
  return Json{{"name", name},
              {"valueFrom", {{"fieldRef", {{"apiVersion", "v1"}, {"fieldPath", path}}}}}};
}

Json container(std::string_view name, Json env = nullptr) {
  Json c = {{"name", name}, {"image", kAppImage}};
  if (!env.is_null()) c["env"] = std::move(env);
  return c;
}

Json deployment(Json containers, Json pod_extra = Json::object()) {
  Json pod = {{"containers", std::move(containers)}};
  for (auto it = pod_extra.begin(); it != pod_extra.end(); ++it) pod[it.key()] = it.value();
  return Json{
      {"apiVersion", "apps/v1"},
      {"kind", "Deployment"},
      {"metadata", {{"name", "cxtm-scheduler"}, {"namespace", "default"}}},
      {"spec",
       {{"replicas", 2},
        {"template", {{"metadata", {{"labels", {{"app", "scheduler"}}}}}, {"spec", pod}}}}}};
}

Json single(Json env = nullptr) {
  return deployment(Json::array({container("scheduler", env)}));
}

InstrumentationSpec spec_a() {
  return InstrumentationSpec{.service_name = "cxtm-scheduler",
                             .otlp_endpoint = "http://otel-collector.default.svc:4318",
                             .environment = "cxtm-poc",
                             .service_namespace = "default",
                             .packages = cxtm::testing::small_package_set(),
                             .init_requests = {"100m", "256Mi"},
                             .init_limits = {"1", "512Mi"}};
}

InstrumentationSpec spec_b() {
  InstrumentationSpec spec = spec_a();
  spec.otlp_endpoint = "http://otel-collector.o11y.svc:4318";
  spec.environment = "prod";
  spec.packages = cxtm::testing::upgraded_package_set();
  spec.init_image = "python:3.12-slim";
  spec.index_url = "https://pypi.mirror.example.com/simple";
  return spec;
}

Json instrument(const Json& d, const InstrumentationSpec& spec = spec_a(),
                Force force = Force::no) {
  return instrument_deployment(d, spec, "0.1.0", force).deployment;
}

const Json& pod(const Json& d) {
  return d["spec"]["template"]["spec"];
}

const Json& container_of(const Json& d, std::string_view name) {
  for (const Json& c : pod(d)["containers"]) {
    if (c["name"] == name) return c;
  }
  FAIL("no container " << name);
  static const Json none;
  return none;
}

const Json& entry(const Json& d, std::string_view var_name, std::string_view c = "scheduler") {
  const Json& env = container_of(d, c)["env"];
  for (size_t i = env.size(); i-- > 0;) {
    if (env[i]["name"] == var_name) return env[i];
  }
  static const Json none;
  return none;
}

std::string value(const Json& d, std::string_view var_name, std::string_view c = "scheduler") {
  const Json& e = entry(d, var_name, c);
  return e.is_object() ? e.value("value", "") : "<unset>";
}

std::vector<std::string> names(const Json& d, std::string_view c = "scheduler") {
  std::vector<std::string> out;
  for (const Json& e : container_of(d, c)["env"]) out.push_back(e["name"]);
  return out;
}

size_t index_of(const std::vector<std::string>& list, std::string_view name) {
  return static_cast<size_t>(std::find(list.begin(), list.end(), name) - list.begin());
}

// The error an action throws: code and message.
template <typename F>
std::pair<ExitCode, std::string> error_of(F&& action) {
  try {
    action();
  } catch (const Error& error) {
    return {error.code(), error.what()};
  }
  return {ExitCode::ok, ""};
}

}  // namespace

TEST_SUITE("instrument/transform") {
  TEST_CASE("pick_container: the only container, or the named one") {
    CHECK(pick_container(single(), spec_a()) == "scheduler");
    const Json two = deployment(Json::array({container("nginx"), container("scheduler")}));
    InstrumentationSpec spec = spec_a();
    spec.container = "scheduler";
    CHECK(pick_container(two, spec) == "scheduler");
  }

  TEST_CASE("pick_container: several containers and none named is a usage error listing them") {
    const Json two = deployment(Json::array({container("nginx"), container("scheduler")}));
    const auto [code, message] = error_of([&] { pick_container(two, spec_a()); });
    CHECK(code == ExitCode::usage);
    CHECK(contains(message, "Deployment default/cxtm-scheduler"));
    CHECK(contains(message, "nginx, scheduler"));
  }

  TEST_CASE("pick_container: a named container that does not exist is a usage error") {
    InstrumentationSpec spec = spec_a();
    spec.container = "app";
    const auto [code, message] = error_of([&] { pick_container(single(), spec); });
    CHECK(code == ExitCode::usage);
    CHECK(contains(message, "Deployment default/cxtm-scheduler"));
    CHECK(contains(message, "'app'"));
    CHECK(contains(message, "containers: scheduler"));
  }

  TEST_CASE("a Deployment without containers is refused") {
    const auto [code, message] = error_of([&] { instrument(deployment(Json::array())); });
    CHECK(code == ExitCode::usage);
    CHECK(contains(message, "no containers"));
  }

  TEST_CASE("a member of another type where the tool adds to it is a usage error naming it") {
    // Found by fuzz_transform: `metadata: 600` threw nlohmann's type_error, which aborted the
    // binary on a --from-file manifest. The API server never gives such an object; a file may.
    Json numbered = single();
    numbered["metadata"] = 600;
    auto [code, message] = error_of([&] { instrument(numbered); });
    CHECK(code == ExitCode::usage);
    CHECK(message == "metadata is a number, not an object");

    Json listed = single();
    listed["metadata"]["annotations"] = Json::array({1});
    std::tie(code, message) = error_of([&] { instrument(listed); });
    CHECK(code == ExitCode::usage);
    CHECK(message == "annotations is an array, not an object");

    Json volumes = single();
    volumes["spec"]["template"]["spec"]["volumes"] = Json::object();
    std::tie(code, message) = error_of([&] { instrument(volumes); });
    CHECK(code == ExitCode::usage);
    CHECK(message == "volumes is an object, not an array");
  }

  TEST_CASE("volumes and the init container are added, after the app's own") {
    const Json d = deployment(
        Json::array({container("scheduler")}),
        {{"initContainers", Json::array({container("migrate")})},
         {"volumes", Json::array({{{"name", "config"}, {"configMap", {{"name", "c"}}}}})}});
    const Json out = instrument(d);
    const Json& volumes = pod(out)["volumes"];
    REQUIRE(volumes.size() == 3);
    CHECK(volumes[0] == d["spec"]["template"]["spec"]["volumes"][0]);
    CHECK(volumes[1] == Json{{"emptyDir", Json::object()}, {"name", "otel-auto-instrumentation"}});
    CHECK(volumes[2] == Json{{"emptyDir", Json::object()}, {"name", "otel-pip-tmp"}});
    const Json& inits = pod(out)["initContainers"];
    REQUIRE(inits.size() == 2);
    CHECK(inits[0]["name"] == "migrate");
    CHECK(inits[1]["name"] == "otel-auto-instrumentation");
  }

  TEST_CASE("the init container runs the installer by argument vector, as the app's user") {
    Json app = container("scheduler");
    app["imagePullPolicy"] = "Always";
    app["securityContext"] = {{"runAsUser", 10001},
                              {"runAsNonRoot", true},
                              {"readOnlyRootFilesystem", true},
                              {"allowPrivilegeEscalation", false},
                              {"privileged", false},
                              {"capabilities", {{"add", {"NET_BIND_SERVICE"}}, {"drop", {"ALL"}}}}};
    const Json out = instrument(deployment(Json::array({app})));
    const Json& init = pod(out)["initContainers"][0];
    CHECK(init["command"] == installer_command(spec_a(), app));
    CHECK(init["command"][0] == "python3");
    CHECK(cxtm::testing::plan_of(init)["target"] == "/otel-auto-instrumentation");
    CHECK_FALSE(init.contains("args"));
    CHECK(init["image"] == kAppImage);
    CHECK(init["imagePullPolicy"] == "Always");
    CHECK(init["workingDir"] == "/tmp");
    CHECK(init["env"] ==
          Json::array({var("HOME", "/tmp"), var("PIP_NO_CACHE_DIR", "1"), var("TMPDIR", "/tmp")}));
    CHECK(init["volumeMounts"] == Json::array({{{"mountPath", "/otel-auto-instrumentation"},
                                                {"name", "otel-auto-instrumentation"}},
                                               {{"mountPath", "/tmp"}, {"name", "otel-pip-tmp"}}}));
    CHECK(init["resources"] == Json{{"limits", {{"cpu", "1"}, {"memory", "512Mi"}}},
                                    {"requests", {{"cpu", "100m"}, {"memory", "256Mi"}}}});
    // The app's restrictions, without what widens privileges.
    CHECK(init["securityContext"] == Json{{"runAsUser", 10001},
                                          {"runAsNonRoot", true},
                                          {"readOnlyRootFilesystem", true},
                                          {"allowPrivilegeEscalation", false},
                                          {"capabilities", {{"drop", {"ALL"}}}}});
  }

  TEST_CASE("the init container uses the configured image and pip mirror options") {
    InstrumentationSpec spec = spec_a();
    spec.init_image = "python:3.12-slim";
    spec.index_url = "https://mirror/simple";
    spec.extra_index_url = "https://extra/simple";
    spec.trusted_host = "mirror";
    spec.init_limits = {};
    spec.init_requests = {"", "300Mi"};
    const Json init = pod(instrument(single(), spec))["initContainers"][0];
    CHECK(init["image"] == "python:3.12-slim");
    CHECK(cxtm::testing::plan_of(init)["pip_args"] ==
          Json{"--index-url", "https://mirror/simple", "--extra-index-url", "https://extra/simple",
               "--trusted-host", "mirror"});
    CHECK(init["resources"] == Json{{"requests", {{"memory", "300Mi"}}}});
    CHECK_FALSE(init.contains("securityContext"));
    CHECK_FALSE(init.contains("imagePullPolicy"));
  }

  TEST_CASE("a spec without packages, service name or endpoint is refused") {
    InstrumentationSpec spec = spec_a();
    spec.packages.lock.clear();
    CHECK(error_of([&] { instrument(single(), spec); }).first == ExitCode::usage);
    spec = spec_a();
    spec.otlp_endpoint.clear();
    CHECK(error_of([&] { instrument(single(), spec); }).first == ExitCode::usage);
  }

  TEST_CASE("the app container gets a read-only mount and the variables, in order") {
    const Json out = instrument(single(Json::array({var("FLASK_ENV", "production")})));
    const Json& app = container_of(out, "scheduler");
    CHECK(app["volumeMounts"] == Json::array({{{"mountPath", "/otel-auto-instrumentation"},
                                               {"name", "otel-auto-instrumentation"},
                                               {"readOnly", true}}}));
    CHECK(app["env"] ==
          Json::array({var("FLASK_ENV", "production"),
                       field_var("OTEL_K8S_POD_NAME", "metadata.name"),
                       field_var("OTEL_K8S_NODE_NAME", "spec.nodeName"),
                       field_var("OTEL_K8S_NAMESPACE", "metadata.namespace"),
                       var("OTEL_SERVICE_NAME", "cxtm-scheduler"),
                       var("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.default.svc:4318"),
                       var("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
                       var("OTEL_TRACES_EXPORTER", "otlp"), var("OTEL_METRICS_EXPORTER", "otlp"),
                       var("OTEL_LOGS_EXPORTER", "none"),
                       var("OTEL_RESOURCE_ATTRIBUTES",
                           "deployment.environment=cxtm-poc,service.namespace=default,"
                           "service.version=2.14.1-py3.12,k8s.deployment.name=cxtm-scheduler,"
                           "k8s.container.name=scheduler,"
                           "service.instance.id=$(OTEL_K8S_NAMESPACE).$(OTEL_K8S_POD_NAME)."
                           "scheduler,"
                           "k8s.pod.name=$(OTEL_K8S_POD_NAME),k8s.node.name=$(OTEL_K8S_NODE_NAME),"
                           "k8s.namespace.name=$(OTEL_K8S_NAMESPACE)"),
                       var("PYTHONPATH", kWrapped)}));
  }

  TEST_CASE(
      "the Operator's resource attributes: version from the image's tag, instance per "
      "pod and container") {
    CHECK(image_tag("registry.example.com:5000/team/app:2.14.1") == "2.14.1");
    CHECK(image_tag("registry.example.com:5000/team/app:2.14.1@sha256:abc") == "2.14.1");
    CHECK(image_tag("registry.example.com:5000/team/app") == "");
    CHECK(image_tag("registry.example.com:5000/team/app@sha256:abc") == "");
    CHECK(image_tag("app:latest") == "");
    // No tag: no service.version rather than a wrong one.
    Json untagged = single();
    untagged["spec"]["template"]["spec"]["containers"][0]["image"] = "registry.example.com/app";
    const std::string attributes = value(instrument(untagged), "OTEL_RESOURCE_ATTRIBUTES");
    CHECK_FALSE(contains(attributes, "service.version"));
    CHECK(contains(attributes, "k8s.container.name=scheduler"));
  }

  TEST_CASE(
      "the Deployment carries the tool's annotations, the template records the app's env, what "
      "the tool wrote and the image") {
    const Json out = instrument(single(Json::array({var("OTEL_SERVICE_NAME", "cxtm-scheduler")})));
    const Json& annotations = out["metadata"]["annotations"];
    CHECK(annotations["cxtm-o11y.io/instrumented"] == "true");
    CHECK(annotations["cxtm-o11y.io/tool-version"] == "0.1.0");
    CHECK(annotations["cxtm-o11y.io/spec-hash"] == spec_a().hash());
    const Json record =
        Json::parse(out["spec"]["template"]["metadata"]["annotations"]["cxtm-o11y.io/original-env"]
                        .get<std::string>());
    CHECK(record["container"] == "scheduler");
    CHECK(record["env"] == Json::array({var("OTEL_SERVICE_NAME", "cxtm-scheduler")}));
    CHECK(record["image"] == pod(out)["containers"][0]["image"]);
    // What the tool wrote: each owned variable as the app container has it now, in that order.
    const Json& env = pod(out)["containers"][0]["env"];
    REQUIRE(record["set"].size() == 11);
    for (const Json& entry : record["set"]) {
      CAPTURE(entry);
      CHECK(std::find(env.begin(), env.end(), entry) != env.end());
    }
    CHECK(record["set"].back() == var("PYTHONPATH", kWrapped));
  }

  TEST_CASE("other containers are left alone") {
    const Json sidecar = {{"name", "nginx"}, {"image", "nginx:1.27"}, {"env", {var("A", "1")}}};
    Json d = deployment(Json::array({sidecar, container("scheduler")}));
    InstrumentationSpec spec = spec_a();
    spec.container = "scheduler";
    const Json out = instrument(d, spec);
    CHECK(pod(out)["containers"][0] == sidecar);
    CHECK(pod(out)["containers"][1]["name"] == "scheduler");
  }

  TEST_CASE("$(VAR) references: the downward-API variables come before OTEL_RESOURCE_ATTRIBUTES") {
    SUBCASE("appended") {
      const auto list = names(instrument(single()));
      CHECK(index_of(list, "OTEL_K8S_POD_NAME") < index_of(list, "OTEL_RESOURCE_ATTRIBUTES"));
      CHECK(index_of(list, "OTEL_K8S_NODE_NAME") < index_of(list, "OTEL_RESOURCE_ATTRIBUTES"));
      CHECK(index_of(list, "OTEL_K8S_NAMESPACE") < index_of(list, "OTEL_RESOURCE_ATTRIBUTES"));
    }
    SUBCASE("the app's own OTEL_RESOURCE_ATTRIBUTES stays in place; ours go right before it") {
      const Json out = instrument(single(Json::array(
          {var("A", "1"), var("OTEL_RESOURCE_ATTRIBUTES", "team=core"), var("B", "2")})));
      const auto list = names(out);
      CHECK(std::vector<std::string>(list.begin(), list.begin() + 6) ==
            std::vector<std::string>{"A", "OTEL_K8S_POD_NAME", "OTEL_K8S_NODE_NAME",
                                     "OTEL_K8S_NAMESPACE", "OTEL_RESOURCE_ATTRIBUTES", "B"});
    }
    SUBCASE("a downward-API variable of the app's, defined too late, is refused") {
      const Json d = single(Json::array({var("OTEL_RESOURCE_ATTRIBUTES", "team=core"),
                                         field_var("OTEL_K8S_POD_NAME", "metadata.name")}));
      const auto [code, message] = error_of([&] { instrument(d, spec_a(), Force::yes); });
      CHECK(code == ExitCode::usage);
      CHECK(contains(message, "OTEL_K8S_POD_NAME is defined after OTEL_RESOURCE_ATTRIBUTES"));
    }
    SUBCASE("a downward-API variable the app defines earlier and equally is kept") {
      const Json d = single(Json::array({field_var("OTEL_K8S_POD_NAME", "metadata.name"),
                                         var("OTEL_RESOURCE_ATTRIBUTES", "team=core")}));
      const auto list = names(instrument(d));
      CHECK(std::count(list.begin(), list.end(), "OTEL_K8S_POD_NAME") == 1);
      CHECK(index_of(list, "OTEL_K8S_POD_NAME") == 0);
    }
  }

  TEST_CASE("PYTHONPATH: sitecustomize first, the app's entries kept in the middle") {
    CHECK(value(instrument(single()), "PYTHONPATH") == kWrapped);
    const Json out =
        instrument(single(Json::array({var("PYTHONPATH", "/app/src:/app/vendor"), var("X", "1")})));
    CHECK(value(out, "PYTHONPATH") ==
          "/otel-auto-instrumentation/cxtm-o11y:"
          "/app/src:/app/vendor:/otel-auto-instrumentation");
    CHECK(names(out)[0] == "PYTHONPATH");  // modified in place, not moved
    CHECK(value(instrument(single(Json::array({var("PYTHONPATH", "")}))), "PYTHONPATH") ==
          kWrapped);
  }

  TEST_CASE("PYTHONPATH: our directories are never listed twice") {
    CHECK(wrap_pythonpath(kWrapped) == kWrapped);
    CHECK(wrap_pythonpath("/otel-auto-instrumentation") == kWrapped);
    CHECK(wrap_pythonpath("/otel-auto-instrumentation/") == kWrapped);
    CHECK(wrap_pythonpath(std::string(kWrapped) + ":/app") ==
          "/otel-auto-instrumentation/cxtm-o11y:/app:"
          "/otel-auto-instrumentation");
    CHECK(wrap_pythonpath("/app::/lib") ==
          "/otel-auto-instrumentation/cxtm-o11y:/app::/lib:"
          "/otel-auto-instrumentation");
  }

  TEST_CASE("PYTHONPATH from valueFrom cannot be merged, not even with force") {
    const Json d = single(Json::array({secret_var("PYTHONPATH", "paths", "pythonpath")}));
    for (Force force : {Force::no, Force::yes}) {
      const auto [code, message] = error_of([&] { instrument(d, spec_a(), force); });
      CHECK(code == ExitCode::usage);
      CHECK(contains(message, "Deployment default/cxtm-scheduler, container scheduler"));
      CHECK(contains(message, "PYTHONPATH is set from Secret paths key pythonpath"));
    }
  }

  TEST_CASE("an OTEL_* variable the app sets to the same value is kept where it is") {
    const Json d = single(Json::array({var("OTEL_TRACES_EXPORTER", "otlp"), var("A", "1"),
                                       var("OTEL_SERVICE_NAME", "cxtm-scheduler")}));
    const auto result = instrument_deployment(d, spec_a(), "0.1.0");
    const auto list = names(result.deployment);
    CHECK(list[0] == "OTEL_TRACES_EXPORTER");
    CHECK(list[1] == "A");
    CHECK(list[2] == "OTEL_SERVICE_NAME");
    CHECK(std::count(list.begin(), list.end(), "OTEL_SERVICE_NAME") == 1);
    CHECK(std::count(list.begin(), list.end(), "OTEL_TRACES_EXPORTER") == 1);
    CHECK(result.warnings.empty());
  }

  TEST_CASE("an OTEL_* variable with another value is a conflict naming both values") {
    const Json d = single(Json::array({var("OTEL_SERVICE_NAME", "scheduler")}));
    const auto [code, message] = error_of([&] { instrument(d); });
    CHECK(code == ExitCode::conflict);
    CHECK(contains(message, "Deployment default/cxtm-scheduler, container scheduler"));
    CHECK(
        contains(message, "OTEL_SERVICE_NAME is 'scheduler' but cxtm-o11y sets 'cxtm-scheduler'"));
    CHECK(contains(message, "--force"));
  }

  TEST_CASE("every conflict is listed in one error") {
    const Json d = single(Json::array({var("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
                                       var("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"),
                                       var("OTEL_LOGS_EXPORTER", "otlp")}));
    const auto [code, message] = error_of([&] { instrument(d); });
    CHECK(code == ExitCode::conflict);
    CHECK(contains(message,
                   "OTEL_EXPORTER_OTLP_PROTOCOL is 'grpc' but cxtm-o11y sets 'http/protobuf'"));
    CHECK(contains(message, "OTEL_EXPORTER_OTLP_ENDPOINT is 'http://collector:4317'"));
    CHECK(contains(message, "OTEL_LOGS_EXPORTER is 'otlp' but cxtm-o11y sets 'none'"));
  }

  TEST_CASE("with force ours wins, in place, and a warning says so") {
    const Json d = single(Json::array({var("OTEL_SERVICE_NAME", "scheduler"), var("A", "1")}));
    const auto result = instrument_deployment(d, spec_a(), "0.1.0", Force::yes);
    CHECK(names(result.deployment)[0] == "OTEL_SERVICE_NAME");
    CHECK(value(result.deployment, "OTEL_SERVICE_NAME") == "cxtm-scheduler");
    REQUIRE(result.warnings.size() == 1);
    CHECK(contains(result.warnings[0],
                   "replaced OTEL_SERVICE_NAME 'scheduler' with 'cxtm-scheduler'"));
  }

  TEST_CASE("an OTEL_* variable from valueFrom is a conflict unless force") {
    const Json d = single(Json::array(
        {{{"name", "OTEL_EXPORTER_OTLP_ENDPOINT"},
          {"valueFrom", {{"configMapKeyRef", {{"key", "endpoint"}, {"name", "otel"}}}}}}}));
    const auto [code, message] = error_of([&] { instrument(d); });
    CHECK(code == ExitCode::conflict);
    CHECK(contains(message, "OTEL_EXPORTER_OTLP_ENDPOINT is from ConfigMap otel key endpoint"));
    const Json forced = instrument(d, spec_a(), Force::yes);
    CHECK(entry(forced, "OTEL_EXPORTER_OTLP_ENDPOINT") ==
          var("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.default.svc:4318"));
  }

  TEST_CASE("OTEL_RESOURCE_ATTRIBUTES: the app's keys win, ours are added, with a warning") {
    const Json d = single(Json::array(
        {var("OTEL_RESOURCE_ATTRIBUTES", "team=payments,deployment.environment=prod-eu")}));
    const auto result = instrument_deployment(d, spec_a(), "0.1.0");
    CHECK(value(result.deployment, "OTEL_RESOURCE_ATTRIBUTES") ==
          "team=payments,deployment.environment=prod-eu,service.namespace=default,"
          "service.version=2.14.1-py3.12,k8s.deployment.name=cxtm-scheduler,"
          "k8s.container.name=scheduler,"
          "service.instance.id=$(OTEL_K8S_NAMESPACE).$(OTEL_K8S_POD_NAME).scheduler,"
          "k8s.pod.name=$(OTEL_K8S_POD_NAME),k8s.node.name=$(OTEL_K8S_NODE_NAME),"
          "k8s.namespace.name=$(OTEL_K8S_NAMESPACE)");
    REQUIRE(result.warnings.size() == 1);
    CHECK(contains(result.warnings[0], "the app's deployment.environment=prod-eu kept"));
    CHECK(contains(result.warnings[0], "added service.namespace, service.version"));
  }

  TEST_CASE("OTEL_RESOURCE_ATTRIBUTES: keys read as the SDK strips them, line breaks too") {
    // Written as a YAML block: the SDK's str.strip() takes the line break off the second key.
    const Json d = single(Json::array(
        {var("OTEL_RESOURCE_ATTRIBUTES", "team=payments,\ndeployment.environment=prod-eu\n")}));
    const auto result = instrument_deployment(d, spec_a(), "0.1.0");
    CHECK_FALSE(contains(value(result.deployment, "OTEL_RESOURCE_ATTRIBUTES"),
                         "deployment.environment=cxtm-poc"));
    REQUIRE(result.warnings.size() == 1);
    CHECK(contains(result.warnings[0], "the app's deployment.environment=prod-eu kept"));
  }

  TEST_CASE("OTEL_RESOURCE_ATTRIBUTES: the app's pod attributes leave the pod name variable out") {
    const Json d = single(Json::array(
        {var("OTEL_RESOURCE_ATTRIBUTES", "k8s.pod.name=fixed,service.instance.id=fixed-1")}));
    const auto list = names(instrument(d));
    CHECK(index_of(list, "OTEL_K8S_POD_NAME") == list.size());
    CHECK(index_of(list, "OTEL_K8S_NODE_NAME") < index_of(list, "OTEL_RESOURCE_ATTRIBUTES"));
  }

  TEST_CASE("OTEL_RESOURCE_ATTRIBUTES from valueFrom is a conflict unless force") {
    const Json d = single(Json::array({secret_var("OTEL_RESOURCE_ATTRIBUTES", "attrs", "value")}));
    CHECK(error_of([&] { instrument(d); }).first == ExitCode::conflict);
    CHECK(contains(value(instrument(d, spec_a(), Force::yes), "OTEL_RESOURCE_ATTRIBUTES"),
                   "k8s.pod.name=$(OTEL_K8S_POD_NAME)"));
  }

  TEST_CASE("values are written so that neither Kubernetes nor the SDK misreads them") {
    InstrumentationSpec spec = spec_a();
    spec.service_name = "pay$(HOME)";
    spec.environment = "eu,prod=1 %";
    const Json out = instrument(single(), spec);
    CHECK(value(out, "OTEL_SERVICE_NAME") == "pay$$(HOME)");
    CHECK(contains(value(out, "OTEL_RESOURCE_ATTRIBUTES"),
                   "deployment.environment=eu%2Cprod%3D1%20%25,"));
  }

  TEST_CASE("envFrom cannot be inspected: a warning says what may happen") {
    Json app = container("scheduler");
    app["envFrom"] = Json::array({{{"configMapRef", {{"name", "scheduler-config"}}}}});
    const auto result = instrument_deployment(deployment(Json::array({app})), spec_a(), "0.1.0");
    REQUIRE(result.warnings.size() == 1);
    CHECK(contains(result.warnings[0], "envFrom (ConfigMap scheduler-config)"));
    CHECK(contains(result.warnings[0], "env wins over envFrom"));
    CHECK(container_of(result.deployment, "scheduler")["envFrom"] == app["envFrom"]);
  }

  TEST_CASE("detect_state: untouched, current, outdated") {
    const Json d = single();
    CHECK(detect_state(d, spec_a()) == State::not_instrumented);
    const Json out = instrument(d);
    CHECK(detect_state(out, spec_a()) == State::current);
    CHECK(detect_state(out, spec_b()) == State::outdated);
  }

  TEST_CASE("detect_state: an app image changed since makes the installer image outdated") {
    Json out = instrument(single());
    out["spec"]["template"]["spec"]["containers"][0]["image"] =
        "registry.example.com/scheduler:2.15.0-py3.13";
    CHECK(detect_state(out, spec_a()) == State::outdated);
    const Json upgraded = instrument(out);
    CHECK(pod(upgraded)["initContainers"][0]["image"] ==
          "registry.example.com/scheduler:2.15.0-py3.13");
    CHECK(detect_state(upgraded, spec_a()) == State::current);
  }

  TEST_CASE("detect_state: the init container taken out by hand is outdated, not current") {
    Json out = instrument(single());
    out["spec"]["template"]["spec"].erase("initContainers");
    CHECK(detect_state(out, spec_a()) == State::outdated);
  }

  TEST_CASE("instrumenting again with the same spec changes nothing") {
    const Json d =
        single(Json::array({var("PYTHONPATH", "/app"), var("OTEL_SERVICE_NAME", "cxtm-scheduler"),
                            var("OTEL_RESOURCE_ATTRIBUTES", "team=core")}));
    const Json once = instrument(d);
    CHECK(instrument(once) == once);
    CHECK(value(once, "PYTHONPATH") ==
          "/otel-auto-instrumentation/cxtm-o11y:/app:"
          "/otel-auto-instrumentation");
  }

  TEST_CASE("an upgrade equals instrumenting the original with the new spec") {
    const Json d =
        single(Json::array({var("PYTHONPATH", "/app"), var("OTEL_RESOURCE_ATTRIBUTES", "team=core"),
                            var("OTEL_TRACES_EXPORTER", "otlp")}));
    const Json upgraded = instrument(instrument(d, spec_a()), spec_b());
    CHECK(upgraded == instrument(d, spec_b()));
    CHECK(pod(upgraded)["initContainers"].size() == 1);
    CHECK(pod(upgraded)["volumes"].size() == 2);
    CHECK(container_of(upgraded, "scheduler")["volumeMounts"].size() == 1);
    CHECK(value(upgraded, "OTEL_EXPORTER_OTLP_ENDPOINT") == "http://otel-collector.o11y.svc:4318");
  }

  TEST_CASE("an upgrade after --force starts again from the app's own values") {
    const Json d = single(Json::array({var("OTEL_SERVICE_NAME", "legacy")}));
    const Json forced = instrument(d, spec_a(), Force::yes);
    CHECK(value(forced, "OTEL_SERVICE_NAME") == "cxtm-scheduler");
    // Without force, the app's 'legacy' conflicts again, exactly as on the original.
    const auto upgrade = error_of([&] { instrument(forced, spec_b()); });
    const auto direct = error_of([&] { instrument(d, spec_b()); });
    CHECK(upgrade.first == ExitCode::conflict);
    CHECK(upgrade == direct);
    CHECK(instrument(forced, spec_b(), Force::yes) == instrument(d, spec_b(), Force::yes));
  }

  TEST_CASE("an upgrade to another app container moves everything there") {
    const Json d = deployment(Json::array({container("scheduler"), container("worker")}));
    InstrumentationSpec a = spec_a();
    a.container = "scheduler";
    InstrumentationSpec b = spec_a();
    b.container = "worker";
    const Json moved = instrument(instrument(d, a), b);
    CHECK(moved == instrument(d, b));
    CHECK_FALSE(container_of(moved, "scheduler").contains("env"));
    CHECK_FALSE(container_of(moved, "scheduler").contains("volumeMounts"));
    CHECK(value(moved, "PYTHONPATH", "worker") == kWrapped);
  }

  TEST_CASE("POC-partial: recognised, completed, values that agree adopted in place") {
    const Json poc = single(
        Json::array({var("PYTHONPATH", "/otel-auto-instrumentation"),
                     var("OTEL_SERVICE_NAME", "cxtm-scheduler"),
                     var("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.default.svc:4318"),
                     var("OTEL_TRACES_EXPORTER", "otlp")}));
    CHECK(detect_state(poc, spec_a()) == State::poc_partial);
    const Json out = instrument(poc);
    const auto list = names(out);
    CHECK(std::vector<std::string>(list.begin(), list.begin() + 4) ==
          std::vector<std::string>{"PYTHONPATH", "OTEL_SERVICE_NAME", "OTEL_EXPORTER_OTLP_ENDPOINT",
                                   "OTEL_TRACES_EXPORTER"});
    CHECK(list.size() == 11);
    CHECK(value(out, "PYTHONPATH") == kWrapped);
    CHECK(pod(out)["initContainers"].size() == 1);
    CHECK(pod(out)["volumes"].size() == 2);
    CHECK(detect_state(out, spec_a()) == State::current);
    // Rolling back from the backup of the POC state brings the POC state back.
    const Json restored = restore_deployment(out, strip_for_backup(poc));
    CHECK(restored["spec"]["template"] == poc["spec"]["template"]);
    CHECK_FALSE(restored["metadata"].contains("annotations"));
  }

  TEST_CASE("POC-partial: the volume path appended to the app's PYTHONPATH is also ours") {
    const Json poc = single(Json::array({var("PYTHONPATH", "/app:/otel-auto-instrumentation"),
                                         var("OTEL_SERVICE_NAME", "cxtm-scheduler")}));
    CHECK(detect_state(poc, spec_a()) == State::poc_partial);
    CHECK(value(instrument(poc), "PYTHONPATH") ==
          "/otel-auto-instrumentation/cxtm-o11y:/app:"
          "/otel-auto-instrumentation");
  }

  TEST_CASE("POC-partial: a conflicting POC value needs force") {
    const Json poc =
        single(Json::array({var("PYTHONPATH", "/otel-auto-instrumentation"),
                            var("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector:4317")}));
    CHECK(error_of([&] { instrument(poc); }).first == ExitCode::conflict);
    CHECK(value(instrument(poc, spec_a(), Force::yes), "OTEL_EXPORTER_OTLP_ENDPOINT") ==
          "http://otel-collector.default.svc:4318");
  }

  TEST_CASE("PYTHONPATH with the volume but no OTEL_* variable is not the POC") {
    CHECK(detect_state(single(Json::array({var("PYTHONPATH", "/otel-auto-instrumentation")})),
                       spec_a()) == State::not_instrumented);
  }

  TEST_CASE("a volume or init container with the tool's name, not made by it, needs force") {
    const Json d =
        deployment(Json::array({container("scheduler")}),
                   {{"volumes", Json::array({{{"name", "otel-auto-instrumentation"},
                                              {"hostPath", {{"path", "/opt/otel"}}}}})}});
    const auto [code, message] = error_of([&] { instrument(d); });
    CHECK(code == ExitCode::conflict);
    CHECK(contains(message, "volume otel-auto-instrumentation"));
    const auto forced = instrument_deployment(d, spec_a(), "0.1.0", Force::yes);
    CHECK(pod(forced.deployment)["volumes"] ==
          Json::array({{{"emptyDir", Json::object()}, {"name", "otel-auto-instrumentation"}},
                       {{"emptyDir", Json::object()}, {"name", "otel-pip-tmp"}}}));
    REQUIRE(forced.warnings.size() == 1);
    CHECK(contains(forced.warnings[0], "replaced volume otel-auto-instrumentation"));
  }

  TEST_CASE("another volume mounted at the tool's path is refused") {
    Json app = container("scheduler");
    app["volumeMounts"] =
        Json::array({{{"name", "otel"}, {"mountPath", "/otel-auto-instrumentation"}}});
    const auto [code, message] = error_of([&] { instrument(deployment(Json::array({app}))); });
    CHECK(code == ExitCode::usage);
    CHECK(contains(message, "already mounts volume otel at /otel-auto-instrumentation"));
  }

  TEST_CASE("new members go where kubectl's sorted output has them") {
    // Keys sorted, as `kubectl get -o json` prints them.
    const Json d = Json::parse(R"({
      "metadata": {"name": "x", "namespace": "default"},
      "spec": {"template": {"metadata": {"labels": {"app": "x"}},
        "spec": {"containers": [{"image": "python:3.12", "name": "x", "resources": {}}],
                 "dnsPolicy": "ClusterFirst", "restartPolicy": "Always"}}}})");
    const Json out = instrument(d);
    const auto keys = [](const Json& object) {
      std::vector<std::string> list;
      for (auto it = object.begin(); it != object.end(); ++it) list.push_back(it.key());
      return list;
    };
    CHECK(keys(pod(out)) == std::vector<std::string>{"containers", "dnsPolicy", "initContainers",
                                                     "restartPolicy", "volumes"});
    CHECK(keys(pod(out)["containers"][0]) ==
          std::vector<std::string>{"env", "image", "name", "resources", "volumeMounts"});
    CHECK(keys(out["metadata"]) == std::vector<std::string>{"annotations", "name", "namespace"});
    CHECK(keys(pod(out)["initContainers"][0]) ==
          std::vector<std::string>{"command", "env", "image", "name", "resources",
                                   "terminationMessagePath", "terminationMessagePolicy",
                                   "volumeMounts", "workingDir"});
  }

  TEST_CASE("new members go where the API server writes them in unsorted objects") {
    const Json d = Json::parse(R"({
      "metadata": {"name": "x", "namespace": "default", "labels": {"a": "b"}, "ownerReferences": []},
      "spec": {"template": {"metadata": {"labels": {"app": "x"}},
        "spec": {"containers": [{"name": "x", "image": "python:3.12", "resources": {}}],
                 "restartPolicy": "Always", "dnsPolicy": "ClusterFirst"}}}})");
    const Json out = instrument(d);
    CHECK(pod(out).begin().key() == "volumes");
    CHECK(std::next(pod(out).begin()).key() == "initContainers");
    const Json& app = pod(out)["containers"][0];
    CHECK(std::next(app.begin(), 2).key() == "env");
    CHECK(std::next(out["metadata"].begin(), 3).key() == "annotations");
  }

  TEST_CASE("restore_deployment: the original template and annotations, the current rest") {
    Json original = single(Json::array({var("A", "1")}));
    original["metadata"]["annotations"] = {{"owner", "team"}};
    Json current = instrument(original);
    current["spec"]["replicas"] = 5;
    current["metadata"]["annotations"]["owner"] = "other-team";
    current["status"] = {{"replicas", 5}};
    const Json restored = restore_deployment(current, strip_for_backup(original));
    CHECK(restored["spec"]["template"] == original["spec"]["template"]);
    CHECK(restored["spec"]["replicas"] == 5);
    CHECK(restored["status"] == current["status"]);
    CHECK(restored["metadata"]["annotations"] == Json{{"owner", "other-team"}});
  }

  TEST_CASE("restore_deployment: annotations the original had are put back") {
    Json original = instrument(single(), spec_a());
    const Json current = instrument(original, spec_b());
    const Json restored = restore_deployment(current, original);
    CHECK(restored["metadata"]["annotations"]["cxtm-o11y.io/spec-hash"] == spec_a().hash());
    CHECK(restored == original);
  }

  TEST_CASE("restore_deployment: a backup without a template is refused") {
    CHECK(error_of([&] {
            restore_deployment(single(), Json{{"metadata", {{"name", "x"}}}});
          }).first == ExitCode::usage);
  }

  TEST_CASE("strip_for_backup removes status and server-owned metadata only") {
    Json d = single();
    d["status"] = {{"replicas", 2}};
    d["metadata"]["managedFields"] = Json::array({{{"manager", "kubectl"}}});
    d["metadata"]["resourceVersion"] = "123";
    d["metadata"]["uid"] = "u";
    d["metadata"]["creationTimestamp"] = "2025-11-04T09:12:41Z";
    d["metadata"]["generation"] = 4;
    d["metadata"]["selfLink"] = "/apis/apps/v1/namespaces/default/deployments/cxtm-scheduler";
    d["metadata"]["labels"] = {{"app", "scheduler"}};
    d["metadata"]["annotations"] = {{"deployment.kubernetes.io/revision", "4"},
                                    {"kubectl.kubernetes.io/last-applied-configuration", "{}"}};
    const Json stripped = strip_for_backup(d);
    CHECK_FALSE(stripped.contains("status"));
    CHECK(stripped["metadata"] ==
          Json{{"name", "cxtm-scheduler"},
               {"namespace", "default"},
               {"labels", {{"app", "scheduler"}}},
               {"annotations", {{"kubectl.kubernetes.io/last-applied-configuration", "{}"}}}});
    CHECK(stripped["spec"] == d["spec"]);
    d["metadata"]["annotations"] = {{"deployment.kubernetes.io/revision", "4"}};
    CHECK_FALSE(strip_for_backup(d)["metadata"].contains("annotations"));
  }
}

}  // namespace test_instrument_transform
