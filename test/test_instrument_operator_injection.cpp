// `instrument --via operator` against the tool's own way, on the whole Deployment corpus: the
// pod the Operator's webhook (its model, fixtures/operator_python_webhook.h) makes from the
// template the tool annotates, beside the pod of the template the tool instruments itself, each
// container's environment evaluated as the kubelet does (downward API, $(VAR) references). Where
// they should agree (the telemetry's name, endpoint, protocol, exporters and resource) they
// must; where they differ by design, the difference is asserted and printed, as measured.

#include <doctest/doctest.h>
#include <fmt/core.h>

#include <map>
#include <set>

#include "core/error.h"
#include "core/json.h"
#include "fixtures/operator_python_webhook.h"
#include "instrument/object_edit.h"
#include "instrument/operator_injection.h"
#include "instrument/owned.h"
#include "instrument/transform.h"
#include "support/cluster_cli.h"
#include "support/package_sets.h"

namespace test_instrument_operator_injection {

using cxtm::Json;
using cxtm::same_json;
using cxtm::testing::corpus_deployment;
using cxtm::testing::corpus_files;
using namespace cxtm::instrument;

namespace {

constexpr std::string_view kPod = "cxtm-app-7d9f-x2k4q";
constexpr std::string_view kNode = "node-1";

// The app container of the shapes with several (as the corpus test's table names it).
std::string app_of(const std::string& file) {
  return file == "sidecars" ? "portal" : "";
}

InstrumentationSpec spec_for(const Json& d, const std::string& file, Injector injector) {
  InstrumentationSpec spec{.service_name = d["metadata"]["name"],
                           .container = app_of(file),
                           .otlp_endpoint = "http://otel-collector.default.svc:4318",
                           .environment = "cxtm-poc",
                           .service_namespace = d["metadata"]["namespace"],
                           .packages = cxtm::testing::small_package_set(),
                           .init_requests = {"100m", "256Mi"},
                           .init_limits = {"1", "512Mi"}};
  spec.injector = injector;
  spec.operator_image = default_operator_image(spec.packages);
  return spec;
}

// A pod of the template as its ReplicaSet creates it, before admission (no name yet).
Json pod_of(const Json& deployment) {
  const Json& template_ = deployment["spec"]["template"];
  Json pod = {{"apiVersion", "v1"},
              {"kind", "Pod"},
              {"metadata", template_.value("metadata", Json::object())},
              {"spec", template_["spec"]}};
  pod["metadata"]["namespace"] = deployment["metadata"]["namespace"];
  return pod;
}

// The container's environment as it starts: downward-API values filled in, $(VAR) expanded
// from the variables before it, as the kubelet does.
std::map<std::string, std::string> started_env(const Json& pod, const std::string& container) {
  std::map<std::string, std::string> env;
  const Json& containers = pod["spec"]["containers"];
  const Json& entries = containers[find_named(containers, container)].value("env", Json::array());
  const std::string namespace_ = pod["metadata"].value("namespace", "");
  for (const Json& entry : entries) {
    std::string value;
    if (const Json& field = member(member(entry, "valueFrom"), "fieldRef"); field.is_object()) {
      const std::string path = field.value("fieldPath", "");
      value = path == "metadata.name"        ? std::string(kPod)
              : path == "spec.nodeName"      ? std::string(kNode)
              : path == "metadata.namespace" ? namespace_
                                             : "<" + path + ">";
    } else if (entry.contains("valueFrom")) {
      value = "<valueFrom>";
    } else {
      const std::string raw = entry.value("value", "");
      for (size_t i = 0; i < raw.size(); ++i) {
        if (raw.compare(i, 2, "$(") == 0) {
          const size_t end = raw.find(')', i);
          const std::string name = raw.substr(i + 2, end - i - 2);
          if (end != std::string::npos && env.contains(name)) {
            value += env[name];
            i = end;
            continue;
          }
        }
        value += raw[i];
      }
    }
    env[entry.value("name", "")] = value;
  }
  return env;
}

std::string percent_decoded(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::map<std::string, std::string> attributes(const std::string& text) {
  std::map<std::string, std::string> map;
  size_t start = 0;
  while (start < text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string pair = text.substr(start, comma - start);
    if (const size_t equals = pair.find('='); equals != std::string::npos) {
      map[pair.substr(0, equals)] = percent_decoded(pair.substr(equals + 1));
    }
    start = comma + 1;
  }
  return map;
}

}  // namespace

TEST_SUITE("instrument/operator_injection") {
  TEST_CASE("the Operator's injection and the tool's agree on what Splunk sees, shape by shape") {
    const std::set<std::string> agreed = {
        "OTEL_SERVICE_NAME",    "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL",
        "OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER",       "OTEL_LOGS_EXPORTER"};
    const std::set<std::string> agreed_attributes = {
        "deployment.environment", "service.namespace",  "k8s.deployment.name",
        "k8s.container.name",     "k8s.namespace.name", "k8s.pod.name",
        "k8s.node.name",          "service.instance.id"};
    std::map<std::string, int> only_operator;  // attribute -> shapes
    std::map<std::string, int> only_ours;
    int compared = 0;
    for (const auto& file : corpus_files()) {
      CAPTURE(file);
      const Json d = corpus_deployment(file);
      const auto ours_spec = spec_for(d, file, Injector::init_container);
      const auto operator_spec = spec_for(d, file, Injector::operator_);
      Json ours;
      try {
        ours = instrument_deployment(d, ours_spec, "0.1.0", Force::yes).deployment;
      } catch (const cxtm::Error&) {
        continue;
      }
      // The POC shapes keep their own OTEL_* variables under the Operator (it never overrides
      // a container's own): compared from the Deployment without them, as the tool's would be.
      Json base = d;
      if (file.find("-poc") != std::string::npos || file == "otel-conflicting") {
        for (Json& container : base["spec"]["template"]["spec"]["containers"]) {
          Json kept = Json::array();
          for (const Json& entry : container.value("env", Json::array())) {
            const std::string name = entry.value("name", "");
            if (!name.starts_with("OTEL_") && name != "PYTHONPATH") kept.push_back(entry);
          }
          container["env"] = kept;
        }
        ours = instrument_deployment(base, ours_spec, "0.1.0", Force::yes).deployment;
      }
      const Json asked = instrument_deployment(base, operator_spec, "0.1.0").deployment;
      CHECK(detect_state(asked, operator_spec) == State::current);
      CHECK(same_json(remove_owned(asked), base));  // rollback takes out exactly the request

      const std::string name = d["metadata"]["name"];
      const std::string app = pick_container(asked, operator_spec);
      cxtm::testing::OperatorWebhookInput input{
          .instrumentation = instrumentation_resource(
              operator_spec, d["metadata"]["namespace"].get<std::string>()),
          .namespace_ = d["metadata"]["namespace"].get<std::string>(),
          .deployment = name,
          .replica_set = name + "-7d9f"};
      const Json injected = cxtm::testing::operator_inject_python(pod_of(asked), input);
      REQUIRE(pod_injected_by_operator(injected, app));
      const auto theirs = started_env(injected, app);
      const auto mine = started_env(pod_of(ours), app);
      for (const auto& variable : agreed) {
        CAPTURE(variable);
        CHECK(theirs.at(variable) == mine.at(variable));
      }
      // Both put the packages first on the path and keep the app's own entries after them.
      CHECK(theirs.at("PYTHONPATH").starts_with("/otel-auto-instrumentation-python/"));
      const auto their_attributes = attributes(theirs.at("OTEL_RESOURCE_ATTRIBUTES"));
      const auto my_attributes = attributes(mine.at("OTEL_RESOURCE_ATTRIBUTES"));
      for (const auto& key : agreed_attributes) {
        CAPTURE(key);
        REQUIRE(their_attributes.contains(key));
        REQUIRE(my_attributes.contains(key));
        CHECK(their_attributes.at(key) == my_attributes.at(key));
      }
      for (const auto& [key, value] : their_attributes) {
        if (!my_attributes.contains(key)) ++only_operator[key];
      }
      for (const auto& [key, value] : my_attributes) {
        if (!their_attributes.contains(key)) ++only_ours[key];
      }
      ++compared;
    }
    CHECK(compared >= 20);
    std::string measured =
        fmt::format("compared on {} shapes; attributes only the Operator sets:", compared);
    for (const auto& [key, shapes] : only_operator)
      measured += fmt::format(" {} ({})", key, shapes);
    measured += "; only the tool:";
    for (const auto& [key, shapes] : only_ours) measured += fmt::format(" {} ({})", key, shapes);
    MESSAGE(measured);
    // The Operator names the ReplicaSet as well; neither sets what the other lacks otherwise.
    CHECK(only_operator.contains("k8s.replicaset.name"));
  }

  TEST_CASE("the Instrumentation carries the endpoint, environment, image and no OTLP logs") {
    const Json d = corpus_deployment("minimal");
    const auto spec = spec_for(d, "minimal", Injector::operator_);
    const Json resource = instrumentation_resource(spec, "default");
    CHECK(resource["spec"]["exporter"]["endpoint"] == spec.otlp_endpoint);
    CHECK(resource["spec"]["resource"]["resourceAttributes"]["deployment.environment"] ==
          "cxtm-poc");
    CHECK(resource["spec"]["python"]["image"] ==
          "ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-python:" +
              spec.packages.contrib_version);
    CHECK(resource["spec"]["python"]["env"][0]["value"] == "none");
  }

  TEST_CASE("refused: a template that asks the Operator itself, a PYTHONPATH from valueFrom") {
    Json d = corpus_deployment("minimal");
    const auto spec = spec_for(d, "minimal", Injector::operator_);
    Json asking = d;
    asking["spec"]["template"]["metadata"]["annotations"][std::string(kAnnotationInjectPython)] =
        "true";
    CHECK_THROWS_WITH_AS(instrument_deployment(asking, spec, "0.1.0"),
                         doctest::Contains("asks the OpenTelemetry Operator to inject"),
                         cxtm::Error);
    Json from_secret = d;
    from_secret["spec"]["template"]["spec"]["containers"][0]["env"] = Json::array(
        {{{"name", "PYTHONPATH"},
          {"valueFrom", {{"configMapKeyRef", {{"name", "paths"}, {"key", "python"}}}}}}});
    CHECK_THROWS_WITH_AS(instrument_deployment(from_secret, spec, "0.1.0"),
                         doctest::Contains("PYTHONPATH comes from valueFrom"), cxtm::Error);
  }

  TEST_CASE("switching ways: from the tool's init container to the Operator and back") {
    const Json d = corpus_deployment("minimal");
    const auto init = spec_for(d, "minimal", Injector::init_container);
    const auto op = spec_for(d, "minimal", Injector::operator_);
    const Json first = instrument_deployment(d, init, "0.1.0").deployment;
    CHECK(detect_state(first, op) == State::outdated);
    const Json switched = instrument_deployment(first, op, "0.1.0").deployment;
    CHECK(owned_parts(switched).empty());  // no installer left
    CHECK(injected_by_operator(switched));
    CHECK(same_json(remove_owned(switched), d));
    const Json back = instrument_deployment(switched, init, "0.1.0").deployment;
    CHECK_FALSE(asks_operator(back));
    CHECK(same_json(back, first));
  }
}

}  // namespace test_instrument_operator_injection
