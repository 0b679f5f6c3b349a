#include <doctest/doctest.h>

#include "fixtures/fake_collector.h"
#include "fixtures/fake_kube_api_server.h"
#include "fixtures/kube_service_proxy.h"
#include "net/http_client.h"

namespace test_fixtures_kube_service_proxy {

using cxtm::Json;
using cxtm::net::CurlHttpClient;
using cxtm::testing::FakeCollector;
using cxtm::testing::FakeKubeApiServer;
using cxtm::testing::kubefake::parse_proxy_path;

namespace {

Json service(const std::string& name) {
  return {{"apiVersion", "v1"},
          {"kind", "Service"},
          {"metadata", {{"name", name}, {"namespace", "default"}}},
          {"spec", {{"ports", Json::array({{{"port", 13133}}})}}}};
}

}  // namespace

TEST_SUITE("fixtures/kube_service_proxy") {
  TEST_CASE("proxy paths: name, name:port, scheme:name:port, with and without a rest") {
    const auto plain = parse_proxy_path("/api/v1/namespaces/ns/services/c:4318/proxy/v1/traces");
    REQUIRE(plain);
    CHECK(plain->kind == "services");
    CHECK(plain->namespace_ == "ns");
    CHECK(plain->name == "c");
    CHECK(plain->port == "4318");
    CHECK(plain->rest == "/v1/traces");
    const auto scheme = parse_proxy_path("/api/v1/namespaces/ns/services/http:c:13133/proxy");
    REQUIRE(scheme);
    CHECK(scheme->name == "c");
    CHECK(scheme->port == "13133");
    CHECK(scheme->rest == "/");
    const auto pod = parse_proxy_path("/api/v1/namespaces/ns/pods/c-x1:8888/proxy/metrics");
    REQUIRE(pod);
    CHECK(pod->kind == "pods");
    CHECK(pod->name == "c-x1");
    CHECK_FALSE(parse_proxy_path("/api/v1/namespaces/ns/services/c"));
    CHECK_FALSE(parse_proxy_path("/api/v1/namespaces/ns/services/c/status"));
  }

  TEST_CASE("a mapped Service port is forwarded, both forms, the real server's refusals else") {
    FakeKubeApiServer server;
    FakeCollector collector;
    server.put_object(service("otel-collector"));
    server.put_object(service("unmapped"));
    server.map_service_proxy("default", "otel-collector", 13133, collector.port());
    CurlHttpClient http;
    for (const char* id : {"otel-collector:13133", "http:otel-collector:13133"}) {
      CAPTURE(id);
      const auto answer = http.send(
          {.url = server.url() + "/api/v1/namespaces/default/services/" + id + "/proxy/"});
      CHECK(answer.status == 200);
      CHECK(answer.body.find("Server available") != std::string::npos);
    }
    const auto no_endpoints = http.send(
        {.url = server.url() + "/api/v1/namespaces/default/services/unmapped:13133/proxy/"});
    CHECK(no_endpoints.status == 503);
    CHECK(no_endpoints.body.find("no endpoints available for service") != std::string::npos);
    const auto missing =
        http.send({.url = server.url() + "/api/v1/namespaces/default/services/nope:1/proxy/"});
    CHECK(missing.status == 404);
  }

  TEST_CASE("a POST keeps its body and content type") {
    FakeKubeApiServer server;
    FakeCollector collector;
    server.put_object(service("otel-collector"));
    server.map_service_proxy("default", "otel-collector", 4318, collector.port());
    CurlHttpClient http;
    const std::string url =
        server.url() + "/api/v1/namespaces/default/services/otel-collector:4318/proxy/v1/traces";
    const auto wrong_type = http.send(
        {.method = "POST", .url = url, .headers = {{"Content-Type", "text/plain"}}, .body = "{}"});
    CHECK(wrong_type.status == 415);  // the content type reached the receiver
    const auto empty = http.send({.method = "POST",
                                  .url = url,
                                  .headers = {{"Content-Type", "application/json"}},
                                  .body = R"({"resourceSpans":[]})"});
    CHECK(empty.status == 400);  // the body reached it too: no spans is not a request
    CHECK(empty.body.find("resourceSpans is missing or empty") != std::string::npos);
    CHECK(collector.trace_posts() == 2);
  }
}

}  // namespace test_fixtures_kube_service_proxy
