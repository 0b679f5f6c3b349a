#include <doctest/doctest.h>

#include <functional>
#include <set>

#include "core/digest.h"
#include "instrument/spec.h"
#include "support/package_sets.h"

namespace test_instrument_spec {

using cxtm::Json;
using namespace cxtm::instrument;

namespace {

InstrumentationSpec full_spec() {
  return InstrumentationSpec{.service_name = "cxtm-scheduler",
                             .container = "scheduler",
                             .otlp_endpoint = "http://otel-collector.default.svc:4318",
                             .environment = "cxtm-poc",
                             .service_namespace = "default",
                             .packages = cxtm::testing::small_package_set(),
                             .extras = {"requests"},
                             .exclude = {"logging"},
                             .init_image = "python:3.12-slim",
                             .index_url = "https://pypi.mirror.example.com/simple",
                             .extra_index_url = "https://extra.example.com/simple",
                             .trusted_host = "pypi.mirror.example.com",
                             .init_requests = {"100m", "256Mi"},
                             .init_limits = {"1", "512Mi"}};
}

}  // namespace

TEST_SUITE("instrument/spec") {
  TEST_CASE("to_json carries every field under its own name") {
    CHECK(full_spec().to_json() == Json::parse(R"({
            "serviceName": "cxtm-scheduler",
            "container": "scheduler",
            "otlpEndpoint": "http://otel-collector.default.svc:4318",
            "environment": "cxtm-poc",
            "serviceNamespace": "default",
            "packages": {"sdk_version": "1.41.1", "contrib_version": "0.62b1",
                         "base": ["opentelemetry-distro"],
                         "instrumentations": {"flask": {"package": "opentelemetry-instrumentation-flask",
                                                        "libraries": ["flask >= 1.0"]}},
                         "lock": {"opentelemetry-distro": {"version": "0.62b1",
                                                           "requires": ["opentelemetry-sdk ~= 1.13"]},
                                  "opentelemetry-sdk": {"version": "1.41.1",
                                                        "requires": ["typing-extensions >= 4.5.0"]},
                                  "opentelemetry-instrumentation-flask": {"version": "0.62b1"},
                                  "typing-extensions": {"version": "4.14.1"}}},
            "extras": ["requests"],
            "exclude": ["logging"],
            "initImage": "python:3.12-slim",
            "indexUrl": "https://pypi.mirror.example.com/simple",
            "extraIndexUrl": "https://extra.example.com/simple",
            "trustedHost": "pypi.mirror.example.com",
            "initResources": {"requests": {"cpu": "100m", "memory": "256Mi"},
                              "limits": {"cpu": "1", "memory": "512Mi"}}
          })"));
  }

  TEST_CASE("the hash is a stable lower-case sha256") {
    const std::string hash = full_spec().hash();
    CHECK(hash.size() == 64);
    CHECK(hash.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(full_spec().hash() == hash);
    const InstrumentationSpec copy = full_spec();
    CHECK(copy.hash() == hash);
  }

  TEST_CASE("the hash is pinned: sha256 of a layout tag and the compact JSON of the fields") {
    // A change here makes every instrumented Deployment read as outdated: change it only
    // together with the transform's output (and the layout tag in spec.cpp).
    const std::string canonical =
        R"({"serviceName":"cxtm-scheduler","container":"scheduler",)"
        R"("otlpEndpoint":"http://otel-collector.default.svc:4318","environment":"cxtm-poc",)"
        R"("serviceNamespace":"default",)"
        R"("packages":{"sdk_version":"1.41.1","contrib_version":"0.62b1",)"
        R"("base":["opentelemetry-distro"],"instrumentations":{"flask":)"
        R"({"package":"opentelemetry-instrumentation-flask","libraries":["flask >= 1.0"]}},)"
        R"("lock":{"opentelemetry-distro":{"version":"0.62b1",)"
        R"("requires":["opentelemetry-sdk ~= 1.13"]},)"
        R"("opentelemetry-sdk":{"version":"1.41.1","requires":["typing-extensions >= 4.5.0"]},)"
        R"("opentelemetry-instrumentation-flask":{"version":"0.62b1"},)"
        R"("typing-extensions":{"version":"4.14.1"}}},)"
        R"("extras":["requests"],"exclude":["logging"],)"
        R"("initImage":"python:3.12-slim","indexUrl":"https://pypi.mirror.example.com/simple",)"
        R"("extraIndexUrl":"https://extra.example.com/simple","trustedHost":"pypi.mirror.example.com",)"
        R"("initResources":{"requests":{"cpu":"100m","memory":"256Mi"},)"
        R"("limits":{"cpu":"1","memory":"512Mi"}}})";
    CHECK(full_spec().hash() == cxtm::sha256_hex("cxtm-o11y.io/python-layout=2\n" + canonical));
    CHECK(full_spec().hash() == "88c6acf4b166ef9ddc6cf70d7715b86b7b636791c35efae2a5b57cf9a1c13930");
  }

  TEST_CASE("every field changes the hash") {
    const std::vector<std::pair<std::string, std::function<void(InstrumentationSpec&)>>> changes = {
        {"service_name", [](auto& s) { s.service_name = "cxtm-scheduler-2"; }},
        {"container", [](auto& s) { s.container = "app"; }},
        {"otlp_endpoint", [](auto& s) { s.otlp_endpoint = "http://otel-collector.o11y.svc:4318"; }},
        {"environment", [](auto& s) { s.environment = "prod"; }},
        {"service_namespace", [](auto& s) { s.service_namespace = "cxtm"; }},
        {"packages (a distribution added)",
         [](auto& s) { s.packages = cxtm::testing::upgraded_package_set(); }},
        {"packages (a version)", [](auto& s) { s.packages.lock[3].version = "4.15.0"; }},
        {"packages (a requirement)",
         [](auto& s) { s.packages.lock[1].requires_[0] = "typing-extensions >= 4.6.0"; }},
        {"packages (a library range)",
         [](auto& s) { s.packages.instrumentations[0].libraries[0] = "flask >= 2.0"; }},
        {"packages (base)", [](auto& s) { s.packages.base.push_back("opentelemetry-sdk"); }},
        {"extras", [](auto& s) { s.extras.clear(); }},
        {"exclude", [](auto& s) { s.exclude.push_back("flask"); }},
        {"init_image", [](auto& s) { s.init_image = ""; }},
        {"index_url", [](auto& s) { s.index_url = ""; }},
        {"extra_index_url", [](auto& s) { s.extra_index_url = ""; }},
        {"trusted_host", [](auto& s) { s.trusted_host = "other.example.com"; }},
        {"init_requests.cpu", [](auto& s) { s.init_requests.cpu = "200m"; }},
        {"init_requests.memory", [](auto& s) { s.init_requests.memory = "300Mi"; }},
        {"init_limits.cpu", [](auto& s) { s.init_limits.cpu = "2"; }},
        {"init_limits.memory", [](auto& s) { s.init_limits.memory = "1Gi"; }},
        {"requests and limits swapped", [](auto& s) { std::swap(s.init_requests, s.init_limits); }},
    };
    std::set<std::string> hashes = {full_spec().hash()};
    for (const auto& [field, change] : changes) {
      const std::string& field_shown = field;  // clang 14: no structured bindings in CAPTURE
      CAPTURE(field_shown);
      InstrumentationSpec changed = full_spec();
      change(changed);
      CHECK(hashes.insert(changed.hash()).second);
    }
  }

  TEST_CASE("field boundaries are part of the hash") {
    InstrumentationSpec a = full_spec();
    InstrumentationSpec b = full_spec();
    a.index_url = "https://a";
    a.extra_index_url = "";
    b.index_url = "";
    b.extra_index_url = "https://a";
    CHECK(a.hash() != b.hash());
    a = full_spec();
    b = full_spec();
    a.extras = {"ab", "c"};
    b.extras = {"a", "bc"};
    CHECK(a.hash() != b.hash());
  }

  TEST_CASE("odd bytes in a field hash instead of throwing") {
    InstrumentationSpec spec = full_spec();
    spec.environment = std::string("bad\xff", 4);
    CHECK(spec.hash().size() == 64);
  }
}

}  // namespace test_instrument_spec
