#include <doctest/doctest.h>

#include "lint/endpoint_host.h"

namespace test_lint_endpoint_host {

using cxtm::config::HostStyle;
using cxtm::lint::classify_endpoint;
using cxtm::lint::HostKind;

TEST_SUITE("lint/endpoint_host") {
  TEST_CASE("Splunk Observability hosts name their realm in either style") {
    const auto classic = classify_endpoint("https://ingest.us1.signalfx.com/v2/trace/otlp");
    CHECK(classic.kind == HostKind::observability);
    CHECK(classic.realm == "us1");
    CHECK(classic.style == HostStyle::classic);
    CHECK(classic.name == "ingest.us1.signalfx.com");

    const auto cloud = classify_endpoint("https://API.eu0.Observability.SplunkCloud.com:443");
    CHECK(cloud.kind == HostKind::observability);
    CHECK(cloud.realm == "eu0");
    CHECK(cloud.style == HostStyle::splunkcloud);

    CHECK(classify_endpoint("https://ingest.signalfx.com").realm == "us0");
  }

  TEST_CASE("pod, cluster and loopback addresses are local") {
    for (const char* endpoint :
         {"localhost:4317", "http://127.0.0.1:4318", "0.0.0.0:13133", "http://[::1]:4318",
          "otel-gateway:4317", "otel-gateway.observability.svc:4317",
          "https://otel-gateway.observability.svc.cluster.local:4318/v1/traces", "10.42.0.17:4317",
          "172.20.1.1:4317", "192.168.1.5:4317"}) {
      CAPTURE(endpoint);
      CHECK(classify_endpoint(endpoint).kind == HostKind::local);
    }
  }

  TEST_CASE("other hosts are other, and credentials never end up in the name") {
    const auto host = classify_endpoint("https://ops:FAKEpassword@telemetry.example.org/otlp");
    CHECK(host.kind == HostKind::other);
    CHECK(host.name == "telemetry.example.org");
    CHECK(classify_endpoint("172.32.0.1:4317").kind == HostKind::other);
    CHECK(classify_endpoint("https://signalfx.com.example.net").kind == HostKind::other);
    CHECK(classify_endpoint("https://http-inputs-acme.splunkcloud.com/services/collector").kind ==
          HostKind::splunk);
  }
}

}  // namespace test_lint_endpoint_host
