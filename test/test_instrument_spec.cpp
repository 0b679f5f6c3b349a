#include <doctest/doctest.h>

#include <functional>
#include <set>

#include "core/digest.h"
#include "instrument/spec.h"

using cxtm::Json;
using namespace cxtm::instrument;

namespace {

InstrumentationSpec full_spec() {
  return InstrumentationSpec{
      .service_name = "cxtm-scheduler",
      .container = "scheduler",
      .otlp_endpoint = "http://otel-collector.default.svc:4318",
      .environment = "cxtm-poc",
      .service_namespace = "default",
      .packages = {"opentelemetry-sdk==1.41.0", "opentelemetry-distro==0.62b0"},
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
            "packages": ["opentelemetry-sdk==1.41.0", "opentelemetry-distro==0.62b0"],
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
        R"("packages":["opentelemetry-sdk==1.41.0","opentelemetry-distro==0.62b0"],)"
        R"("initImage":"python:3.12-slim","indexUrl":"https://pypi.mirror.example.com/simple",)"
        R"("extraIndexUrl":"https://extra.example.com/simple","trustedHost":"pypi.mirror.example.com",)"
        R"("initResources":{"requests":{"cpu":"100m","memory":"256Mi"},)"
        R"("limits":{"cpu":"1","memory":"512Mi"}}})";
    CHECK(full_spec().hash() == cxtm::sha256_hex("cxtm-o11y.io/python-layout=1\n" + canonical));
    CHECK(full_spec().hash() == "746731bb7d5fb8506dbc8e67d312cabf6bb9c6a31fdb4ac48acd22d08ec66f63");
  }

  TEST_CASE("every field changes the hash") {
    const std::vector<std::pair<std::string, std::function<void(InstrumentationSpec&)>>> changes = {
        {"service_name", [](auto& s) { s.service_name = "cxtm-scheduler-2"; }},
        {"container", [](auto& s) { s.container = "app"; }},
        {"otlp_endpoint", [](auto& s) { s.otlp_endpoint = "http://otel-collector.o11y.svc:4318"; }},
        {"environment", [](auto& s) { s.environment = "prod"; }},
        {"service_namespace", [](auto& s) { s.service_namespace = "cxtm"; }},
        {"packages (added)",
         [](auto& s) { s.packages.push_back("opentelemetry-instrumentation-requests==0.62b0"); }},
        {"packages (order)", [](auto& s) { std::swap(s.packages[0], s.packages[1]); }},
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
    a.packages = {"ab", "c"};
    b.packages = {"a", "bc"};
    CHECK(a.hash() != b.hash());
  }

  TEST_CASE("odd bytes in a field hash instead of throwing") {
    InstrumentationSpec spec = full_spec();
    spec.environment = std::string("bad\xff", 4);
    CHECK(spec.hash().size() == 64);
  }
}
