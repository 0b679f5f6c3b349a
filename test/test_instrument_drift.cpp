#include <doctest/doctest.h>

#include "instrument/drift.h"
#include "instrument/object_edit.h"
#include "instrument/owned.h"
#include "instrument/transform.h"
#include "support/package_sets.h"

namespace test_instrument_drift {

using cxtm::Json;
using namespace cxtm::instrument;

namespace {

Json instrumented_auth() {
  const Json d = {{"apiVersion", "apps/v1"},
                  {"kind", "Deployment"},
                  {"metadata", {{"name", "auth"}, {"namespace", "default"}}},
                  {"spec",
                   {{"template",
                     {{"metadata", {{"labels", {{"app", "auth"}}}}},
                      {"spec",
                       {{"containers", Json::array({{{"image", "registry.example.com/auth:7.0.0"},
                                                     {"name", "auth"}}})}}}}}}}};
  return instrument_deployment(d,
                               InstrumentationSpec{.service_name = "auth",
                                                   .otlp_endpoint = "http://c:4318",
                                                   .packages = cxtm::testing::small_package_set()},
                               "0.1.0")
      .deployment;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

}  // namespace

TEST_SUITE("instrument/drift") {
  TEST_CASE("as the tool left it, or never the tool's: no drift") {
    CHECK(instrumentation_drift(instrumented_auth()).empty());
    Json plain = instrumented_auth();
    plain = remove_owned(plain);
    CHECK(instrumentation_drift(plain).empty());
  }

  TEST_CASE("a new app image, a removed installer, a changed variable: each named") {
    Json live = instrumented_auth();
    Json& pod = live["spec"]["template"]["spec"];
    pod["containers"][0]["image"] = "registry.example.com/auth:7.1.0";
    pod.erase("initContainers");
    Json& env = pod["containers"][0]["env"];
    env[find_named(env, "OTEL_SERVICE_NAME")]["value"] = "auth-next";
    const std::string drift = joined(instrumentation_drift(live));
    CHECK(drift.find("init container otel-auto-instrumentation removed since instrumenting") !=
          std::string::npos);
    CHECK(drift.find("container auth: image changed since instrumenting: "
                     "registry.example.com/auth:7.0.0 -> registry.example.com/auth:7.1.0") !=
          std::string::npos);
    CHECK(drift.find("OTEL_SERVICE_NAME was changed since instrumenting (now 'auth-next')") !=
          std::string::npos);
    CHECK(drift.find("volume") == std::string::npos);
  }
}

}  // namespace test_instrument_drift
