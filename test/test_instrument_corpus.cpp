// Every Deployment shape in test/testdata/deployments/ (as `kubectl get deployment -o json`
// prints them) through instrument, upgrade and rollback, checking the properties that must hold
// for any Deployment.

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "core/atomic_file.h"
#include "core/error.h"
#include "instrument/owned.h"
#include "instrument/transform.h"
#include "support/cluster_cli.h"
#include "support/package_sets.h"

namespace test_instrument_corpus {

using cxtm::Error;
using cxtm::ExitCode;
using cxtm::Json;
using cxtm::testing::corpus_files;
using namespace cxtm::instrument;

namespace {

const std::filesystem::path kCorpus = CXTM_SOURCE_DIR "/test/testdata/deployments";

// What each file needs: the app container where there are several, --force where the app's
// own OTEL_* settings conflict, and what detect_state says before instrumenting.
struct Shape {
  std::string container;
  Force force = Force::no;
  State initial = State::not_instrumented;
};

const std::map<std::string, Shape>& shapes() {
  static const std::map<std::string, Shape> table = {
      {"celery-worker", {}},
      {"distroless", {}},
      {"django-gunicorn", {}},
      {"fastapi-uvicorn", {}},
      {"gevent", {}},
      {"image-pythonpath", {}},
      {"cxtm-notifications-poc", {.initial = State::poc_partial}},
      {"cxtm-scheduler-poc", {.force = Force::yes, .initial = State::poc_partial}},
      {"env-from", {}},
      {"env-secrets-downward", {}},
      {"image-pull-secrets", {}},
      {"init-containers-volumes", {}},
      {"minimal", {}},
      {"native-sidecar", {}},
      {"otel-conflicting", {.force = Force::yes}},
      {"otel-same-values", {}},
      {"probes-resources", {}},
      {"pythonpath-set", {}},
      {"resource-attributes", {}},
      {"scheduling", {}},
      {"security-restricted", {}},
      {"sidecars", {.container = "portal"}},
      {"template-annotations", {}},
      {"var-references", {}},
  };
  return table;
}

const std::set<std::string_view> kOwnedVariables = {
    "OTEL_K8S_POD_NAME",
    "OTEL_K8S_NODE_NAME",
    "OTEL_K8S_NAMESPACE",
    "OTEL_SERVICE_NAME",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_PROTOCOL",
    "OTEL_TRACES_EXPORTER",
    "OTEL_METRICS_EXPORTER",
    "OTEL_LOGS_EXPORTER",
    "OTEL_RESOURCE_ATTRIBUTES",
    "OTEL_PYTHON_AUTO_INSTRUMENTATION_EXPERIMENTAL_GEVENT_PATCH",
    "OTEL_PYTHON_EXCLUDED_URLS",
    "PYTHONPATH"};

// A: what the POC cluster's config gives. B: an upgrade of the packages, mirror, installer and
// environment. C: everything different, service name and endpoint included.
InstrumentationSpec spec_a(const Json& d, const Shape& shape) {
  return InstrumentationSpec{.service_name = d["metadata"]["name"],
                             .container = shape.container,
                             .otlp_endpoint = "http://otel-collector.default.svc:4318",
                             .environment = "cxtm-poc",
                             .service_namespace = d["metadata"]["namespace"],
                             .packages = cxtm::testing::small_package_set(),
                             .init_requests = {"100m", "256Mi"},
                             .init_limits = {"1", "512Mi"}};
}

InstrumentationSpec spec_b(const Json& d, const Shape& shape) {
  InstrumentationSpec spec = spec_a(d, shape);
  spec.environment = "cxtm-prod";
  spec.packages = cxtm::testing::upgraded_package_set();
  spec.init_image = "python:3.12-slim";
  spec.index_url = "https://pypi.mirror.example.com/simple";
  spec.trusted_host = "pypi.mirror.example.com";
  spec.init_limits = {"2", "1Gi"};
  return spec;
}

InstrumentationSpec spec_c(const Json& d, const Shape& shape) {
  InstrumentationSpec spec = spec_b(d, shape);
  spec.service_name += "-c";
  spec.otlp_endpoint = "http://otel-collector.o11y.svc:4318";
  spec.service_namespace = "cxtm";
  return spec;
}

// The transform's result, or its error: an upgrade and a direct run must agree on either.
Json outcome(const Json& d, const InstrumentationSpec& spec, Force force) {
  try {
    return instrument_deployment(d, spec, "0.1.0", force).deployment;
  } catch (const Error& error) {
    return Json{{"error", static_cast<int>(error.code())}, {"message", error.what()}};
  }
}

void erase_named(Json& object, std::string_view key, const std::set<std::string_view>& names) {
  if (!object.contains(key)) return;
  Json kept = Json::array();
  for (const Json& element : object[std::string(key)]) {
    if (!names.contains(element.value("name", ""))) kept.push_back(element);
  }
  object[std::string(key)] = kept;
  if (kept.empty()) object.erase(std::string(key));
}

void erase_annotations(Json& object, const std::set<std::string_view>& keys) {
  if (!object.contains("metadata") || !object["metadata"].contains("annotations")) return;
  Json& annotations = object["metadata"]["annotations"];
  for (std::string_view key : keys) annotations.erase(std::string(key));
  if (annotations.empty()) object["metadata"].erase("annotations");
}

// d without anything the tool owns: written independently of the transform's own code.
Json without_owned(Json d, const std::string& app) {
  erase_annotations(d, {kAnnotationInstrumented, kAnnotationVersion, kAnnotationSpecHash});
  Json& template_ = d["spec"]["template"];
  erase_annotations(template_, {kAnnotationOriginalEnv});
  Json& pod = template_["spec"];
  erase_named(pod, "initContainers", {kInitContainerName});
  erase_named(pod, "volumes", {kVolumeName, kPipTmpVolumeName});
  for (Json& container : pod["containers"]) {
    erase_named(container, "volumeMounts", {kVolumeName});
    if (container["name"] == app) erase_named(container, "env", kOwnedVariables);
  }
  return d;
}

// Names a value refers to as $(NAME); "$$" is an escaped "$".
std::vector<std::string> references(const std::string& text) {
  std::vector<std::string> names;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] != '$') continue;
    if (text[i + 1] == '$') {
      ++i;
    } else if (text[i + 1] == '(') {
      const size_t end = text.find(')', i + 2);
      if (end == std::string::npos) break;
      names.push_back(text.substr(i + 2, end - i - 2));
      i = end;
    }
  }
  return names;
}

// Kubernetes expands $(NAME) only when NAME is defined earlier in the same list.
void check_references(const Json& deployment) {
  for (const Json& container : deployment["spec"]["template"]["spec"]["containers"]) {
    if (!container.contains("env")) continue;
    const Json& env = container["env"];
    std::map<std::string, size_t> first;
    for (size_t i = 0; i < env.size(); ++i) first.emplace(env[i]["name"], i);
    for (size_t i = 0; i < env.size(); ++i) {
      for (const auto& name : references(env[i].value("value", ""))) {
        CAPTURE(name);
        const bool ours = env[i]["name"] == "OTEL_RESOURCE_ATTRIBUTES";
        const auto defined = first.find(name);
        if (defined == first.end()) {
          CHECK_FALSE(ours);  // our references always resolve
          continue;
        }
        CHECK(defined->second < i);
      }
    }
  }
}

bool keys_sorted(const Json& object) {
  std::vector<std::string> keys;
  for (auto it = object.begin(); it != object.end(); ++it) keys.push_back(it.key());
  return std::is_sorted(keys.begin(), keys.end());
}

std::string app_container(const Json& d, const Shape& shape) {
  return shape.container.empty()
             ? d["spec"]["template"]["spec"]["containers"][0]["name"].get<std::string>()
             : shape.container;
}

// What an app team does to its Deployment between instrument and rollback, to the container
// `app`: each as kubectl set image / set env / set resources / edit / scale / patch would.
struct AppChange {
  std::string name;
  std::function<void(Json& deployment, const std::string& app)> apply;
};

Json& container_named(Json& deployment, const std::string& name) {
  for (Json& container : deployment["spec"]["template"]["spec"]["containers"]) {
    if (container["name"] == name) return container;
  }
  throw std::runtime_error("no container " + name);
}

const std::vector<AppChange>& app_changes() {
  static const std::vector<AppChange> changes = {
      {"image bump",
       [](Json& d, const std::string& app) {
         Json& container = container_named(d, app);
         container["image"] = container["image"].get<std::string>() + "-7.1.0";
       }},
      {"env added and changed",
       [](Json& d, const std::string& app) {
         Json& container = container_named(d, app);
         if (!container.contains("env")) container["env"] = Json::array();
         for (Json& entry : container["env"]) {
           if (!kOwnedVariables.contains(entry["name"].get<std::string>()) &&
               entry.contains("value")) {
             entry["value"] = entry["value"].get<std::string>() + "-changed";
             break;
           }
         }
         container["env"].push_back({{"name", "FEATURE_FLAG"}, {"value", "on"}});
       }},
      {"resources",
       [](Json& d, const std::string& app) {
         container_named(d, app)["resources"] = {{"limits", {{"memory", "1Gi"}}},
                                                 {"requests", {{"cpu", "250m"}}}};
       }},
      {"probe",
       [](Json& d, const std::string& app) {
         container_named(d, app)["readinessProbe"] = {
             {"httpGet", {{"path", "/healthz"}, {"port", 8080}}}, {"periodSeconds", 5}};
       }},
      {"replicas", [](Json& d, const std::string&) { d["spec"]["replicas"] = 7; }},
      {"sidecar added",
       [](Json& d, const std::string&) {
         d["spec"]["template"]["spec"]["containers"].push_back(
             {{"image", "fluent/fluent-bit:3.1"}, {"name", "log-shipper"}});
       }},
      {"label",
       [](Json& d, const std::string&) {
         d["spec"]["template"]["metadata"]["labels"]["release"] = "7.1.0";
       }},
  };
  return changes;
}

}  // namespace

TEST_SUITE("instrument/corpus") {
  TEST_CASE("the corpus has at least 15 shapes, each described in the table") {
    const auto files = corpus_files();
    CHECK(files.size() >= 15);
    std::vector<std::string> described;
    for (const auto& [name, shape] : shapes()) described.push_back(name);
    CHECK(files == described);
  }

  TEST_CASE("every shape: instrument, fixed point, upgrade, rollback, nothing else touched") {
    for (const auto& file : corpus_files()) {
      CAPTURE(file);
      REQUIRE(shapes().contains(file));
      const Shape& shape = shapes().at(file);
      const Json d = Json::parse(cxtm::read_file(kCorpus / (file + ".json")));
      REQUIRE(d.contains("status"));  // as kubectl prints it
      const std::string app = app_container(d, shape);
      const auto a = spec_a(d, shape);
      const auto b = spec_b(d, shape);
      const auto c = spec_c(d, shape);

      CHECK(detect_state(d, a) == shape.initial);
      const Json out = instrument_deployment(d, a, "0.1.0", shape.force).deployment;
      CHECK(out != d);

      // Rollback from the backup brings back the template, annotations, everything.
      const Json restored = restore_deployment(out, strip_for_backup(d));
      CHECK(restored["spec"]["template"] == d["spec"]["template"]);
      CHECK(restored == d);

      // Same spec again: nothing to do, and nothing would change.
      CHECK(detect_state(out, a) == State::current);
      CHECK(detect_state(out, b) == State::outdated);
      CHECK(instrument_deployment(out, a, "0.1.0", shape.force).deployment == out);

      // An upgrade equals instrumenting the original with the new spec (or fails alike).
      const Json upgraded = outcome(out, b, shape.force);
      CHECK(upgraded == outcome(d, b, shape.force));
      CHECK_FALSE(upgraded.contains("error"));
      CHECK(detect_state(upgraded, b) == State::current);
      CHECK(outcome(out, c, Force::yes) == outcome(d, c, Force::yes));
      CHECK(outcome(instrument_deployment(d, c, "0.1.0", Force::yes).deployment, a, shape.force) ==
            out);

      // $(VAR) references resolve, before and after an upgrade.
      check_references(out);
      check_references(upgraded);

      // Nothing the tool does not own has changed, not even its position.
      CHECK(without_owned(out, app) == without_owned(d, app));
      CHECK(without_owned(upgraded, app) == without_owned(d, app));

      // What it owns is there once, where it belongs.
      const Json& pod = out["spec"]["template"]["spec"];
      const Json& original_pod = d["spec"]["template"]["spec"];
      CHECK(pod["initContainers"].back()["name"] == kInitContainerName);
      CHECK(pod["initContainers"].size() ==
            original_pod.value("initContainers", Json::array()).size() + 1);
      CHECK(pod["volumes"].size() == original_pod.value("volumes", Json::array()).size() + 2);
      for (const Json& container : pod["containers"]) {
        size_t mounts = 0;
        for (const Json& mount : container.value("volumeMounts", Json::array())) {
          if (mount["name"] == kVolumeName) ++mounts;
        }
        CHECK(mounts == (container["name"] == app ? 1 : 0));
      }

      // kubectl's sorted key order survives, so a read-back diff shows only real changes.
      CHECK(keys_sorted(out["metadata"]));
      CHECK(keys_sorted(out["spec"]["template"]["metadata"]));
      CHECK(keys_sorted(pod));
      CHECK(keys_sorted(pod["initContainers"].back()));
      for (const Json& container : pod["containers"]) CHECK(keys_sorted(container));
    }
  }

  TEST_CASE(
      "every shape: rollback undoes only the tool's change, whatever the app team did since") {
    for (const auto& file : corpus_files()) {
      CAPTURE(file);
      const Shape& shape = shapes().at(file);
      const Json d = Json::parse(cxtm::read_file(kCorpus / (file + ".json")));
      const std::string app = app_container(d, shape);
      const Json out = instrument_deployment(d, spec_a(d, shape), "0.1.0", shape.force).deployment;

      // Nothing changed since: the original exactly, nothing left alone.
      const Undone plain = undo_instrumentation(out);
      CHECK(plain.deployment == d);
      CHECK(plain.left_alone.empty());

      for (const auto& change : app_changes()) {
        CAPTURE(change.name);
        Json expected = d;
        change.apply(expected, app);
        REQUIRE(expected != d);

        Json changed = out;
        change.apply(changed, app);
        // Deep equality; the order of keys is the API server's business (it writes Go field
        // order whatever a client sent).
        const Undone undone = undo_instrumentation(changed);
        CHECK(cxtm::same_json(undone.deployment, expected));
        CHECK(undone.left_alone.empty());

        // An upgrade in between (another spec) changes nothing of that either.
        const Json upgraded =
            instrument_deployment(changed, spec_b(d, shape), "0.2.0", shape.force).deployment;
        CHECK(cxtm::same_json(undo_instrumentation(upgraded).deployment, expected));
      }
    }
  }
}

}  // namespace test_instrument_corpus
