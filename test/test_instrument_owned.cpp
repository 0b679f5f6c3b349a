// undo_instrumentation: what the tool did comes out, what anyone did since stays, and what the
// tool cannot attribute is left alone and named.

#include <doctest/doctest.h>

#include "instrument/env_merge.h"
#include "instrument/object_edit.h"
#include "instrument/owned.h"
#include "instrument/transform.h"
#include "support/package_sets.h"
#include "support/text.h"

namespace test_instrument_owned {

using cxtm::Json;
using namespace cxtm::instrument;
using cxtm::testing::contains;

namespace {

Json var(std::string_view name, std::string_view value) {
  return Json{{"name", name}, {"value", value}};
}

Json app_deployment(Json env) {
  Json app = {{"image", "registry.example.com/auth:7.0.0"}, {"name", "auth"}};
  if (!env.is_null()) app["env"] = std::move(env);
  return Json{{"apiVersion", "apps/v1"},
              {"kind", "Deployment"},
              {"metadata", {{"name", "auth"}, {"namespace", "default"}}},
              {"spec",
               {{"replicas", 2},
                {"template",
                 {{"metadata", {{"labels", {{"app", "auth"}}}}},
                  {"spec", {{"containers", Json::array({app})}}}}}}}};
}

InstrumentationSpec spec() {
  return InstrumentationSpec{.service_name = "auth",
                             .otlp_endpoint = "http://otel-collector.default.svc:4318",
                             .packages = cxtm::testing::small_package_set()};
}

Json instrumented(const Json& d, Force force = Force::no) {
  return instrument_deployment(d, spec(), "0.1.0", force).deployment;
}

Json& app_env(Json& d) {
  return d["spec"]["template"]["spec"]["containers"][0]["env"];
}

Json& entry(Json& env, std::string_view name) {
  return env[find_named(env, name)];
}

std::string notes(const Undone& undone) {
  std::string text;
  for (const auto& note : undone.left_alone) text += note + "\n";
  return text;
}

}  // namespace

TEST_SUITE("instrument/owned") {
  TEST_CASE("nothing changed since: the original exactly, nothing named") {
    const Json d = app_deployment(Json::array({var("LOG_LEVEL", "info")}));
    const Undone undone = undo_instrumentation(instrumented(d));
    CHECK(undone.deployment == d);
    CHECK(undone.left_alone.empty());
  }

  TEST_CASE("a value the tool replaced under --force comes back, with the app's own PYTHONPATH") {
    const Json d = app_deployment(
        Json::array({var("OTEL_SERVICE_NAME", "auth-legacy"), var("PYTHONPATH", "/app/lib")}));
    const Json out = instrumented(d, Force::yes);
    CHECK(entry(app_env(const_cast<Json&>(out)), "OTEL_SERVICE_NAME")["value"] == "auth");
    CHECK(undo_instrumentation(out).deployment == d);
  }

  TEST_CASE("a variable the tool set and the app team changed since is left as it is, and named") {
    const Json d = app_deployment(nullptr);
    Json live = instrumented(d);
    entry(app_env(live), "OTEL_SERVICE_NAME")["value"] = "auth-v2";
    const Undone undone = undo_instrumentation(live);
    Json& env = app_env(const_cast<Json&>(undone.deployment));
    REQUIRE(env.size() == 1);
    CHECK(env[0] == var("OTEL_SERVICE_NAME", "auth-v2"));
    REQUIRE(undone.left_alone.size() == 1);
    CHECK(contains(notes(undone),
                   "container auth: OTEL_SERVICE_NAME was changed since "
                   "instrumenting (now 'auth-v2'); left as it is"));
  }

  TEST_CASE("a PYTHONPATH changed since loses only the tool's entries") {
    const Json d = app_deployment(Json::array({var("PYTHONPATH", "/app/lib")}));
    Json live = instrumented(d);
    Json& python_path = entry(app_env(live), "PYTHONPATH");
    python_path["value"] = "/app/plugins:" + python_path["value"].get<std::string>();
    const Undone undone = undo_instrumentation(live);
    Json expected = d;
    app_env(expected)[0]["value"] = "/app/plugins:/app/lib";
    CHECK(undone.deployment == expected);
    CHECK(contains(notes(undone), "PYTHONPATH was changed since instrumenting"));
    CHECK(contains(notes(undone), "only the tool's entries were taken out"));
  }

  TEST_CASE("a variable removed since stays removed, and the app's own value is named") {
    const Json d = app_deployment(Json::array({var("OTEL_TRACES_EXPORTER", "console")}));
    Json live = instrumented(d, Force::yes);
    Json& env = app_env(live);
    env.erase(env.begin() + static_cast<std::ptrdiff_t>(find_named(env, "OTEL_TRACES_EXPORTER")));
    const Undone undone = undo_instrumentation(live);
    CHECK_FALSE(undone.deployment["spec"]["template"]["spec"]["containers"][0].contains("env"));
    CHECK(contains(notes(undone),
                   "OTEL_TRACES_EXPORTER was removed since instrumenting; the "
                   "app's own 'console' is not put back"));
  }

  TEST_CASE("the record taken out since (a GitOps sync of the template's annotations)") {
    const Json d = app_deployment(nullptr);
    Json live = instrumented(d);
    live["spec"]["template"]["metadata"].erase("annotations");
    const Undone undone = undo_instrumentation(live);
    const Json& pod = undone.deployment["spec"]["template"]["spec"];
    CHECK_FALSE(pod.contains("initContainers"));
    CHECK_FALSE(pod.contains("volumes"));
    CHECK_FALSE(undone.deployment["metadata"].contains("annotations"));
    // The variables cannot be told from the app's own without the record: left, and named.
    CHECK(pod["containers"][0]["env"].size() == app_env(live).size());
    CHECK(contains(notes(undone), "container auth: OTEL_K8S_POD_NAME"));
    CHECK(contains(notes(undone),
                   "record of the app's own values (cxtm-o11y.io/original-env "
                   "annotation) is gone"));
  }

  TEST_CASE("a record written before the tool kept what it set: every owned entry is the tool's") {
    const Json d = app_deployment(Json::array({var("OTEL_SERVICE_NAME", "auth-legacy")}));
    Json live = instrumented(d, Force::yes);
    Json& annotations = live["spec"]["template"]["metadata"]["annotations"];
    Json record = Json::parse(annotations[std::string(kAnnotationOriginalEnv)].get<std::string>());
    record.erase("set");
    record.erase("image");
    annotations[std::string(kAnnotationOriginalEnv)] = record.dump();
    const Undone undone = undo_instrumentation(live);
    CHECK(undone.deployment == d);
    CHECK(undone.left_alone.empty());
  }

  TEST_CASE("the instrumented container renamed since: named, its environment left") {
    Json live = instrumented(app_deployment(nullptr));
    live["spec"]["template"]["spec"]["containers"][0]["name"] = "auth-server";
    const Undone undone = undo_instrumentation(live);
    CHECK(contains(notes(undone), "container auth, which the tool instrumented, is gone"));
    CHECK_FALSE(undone.deployment["spec"]["template"]["spec"].contains("initContainers"));
  }

  TEST_CASE("a sidecar added since: an upgrade still instruments the container it did before") {
    Json live = instrumented(app_deployment(nullptr));
    live["spec"]["template"]["spec"]["containers"].push_back(
        {{"image", "fluent/fluent-bit:3.1"}, {"name", "log-shipper"}});
    InstrumentationSpec next = spec();
    next.environment = "prod";
    const Json upgraded = instrument_deployment(live, next, "0.2.0").deployment;
    const Json& containers = upgraded["spec"]["template"]["spec"]["containers"];
    CHECK(find_named(containers[0]["env"], "OTEL_SERVICE_NAME") != npos);
    CHECK_FALSE(containers[1].contains("env"));
  }

  TEST_CASE("nothing instrumented: nothing taken, nothing named") {
    const Json d = app_deployment(Json::array({var("OTEL_SERVICE_NAME", "auth")}));
    const Undone undone = undo_instrumentation(d);
    CHECK(undone.deployment == d);
    CHECK(undone.left_alone.empty());
  }
}

TEST_SUITE("instrument/owned") {
  // Found by fuzz_transform: a pod template without metadata (a Deployment written by hand, or
  // by a tool that leaves the empty object out) got back an empty one from the undo.
  TEST_CASE("a pod template without metadata gets back none, from either rollback") {
    Json original = app_deployment(nullptr);
    original["spec"]["template"].erase("metadata");
    const Json done = instrumented(original);
    CHECK(done["spec"]["template"].contains("metadata"));  // the tool's record lives there
    const Undone undone = undo_instrumentation(done);
    CHECK(undone.deployment == original);
    const Json restored = restore_deployment(done, strip_for_backup(original));
    CHECK(restored["spec"]["template"] == original["spec"]["template"]);
  }
}

}  // namespace test_instrument_owned
