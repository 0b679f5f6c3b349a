#include <doctest/doctest.h>

#include "core/error.h"
#include "fixtures/fake_kube_api_server.h"
#include "kube/kubectl_proxy.h"
#include "support/temp_dir.h"
#include "validate/http_client.h"

using namespace cxtm::kube;
using cxtm::Error;
using cxtm::testing::FakeKubeApiServer;
using cxtm::testing::TempDir;

TEST_SUITE("kube/kubectl_proxy") {
  TEST_CASE("the serving line gives the URL once it is complete") {
    CHECK(proxy_url_from_output("Starting to serve on 127.0.0.1:41234\n") ==
          "http://127.0.0.1:41234");
    CHECK(proxy_url_from_output("Starting to serve on 127.0.0.1:412").empty());
    CHECK(proxy_url_from_output("").empty());
  }

  TEST_CASE("kubectl proxy serves the API server on a free loopback port until it goes") {
    FakeKubeApiServer server;
    TempDir dir;
    const auto kubeconfig = server.write_kubeconfig(dir.path());
    cxtm::validate::CurlHttpClient http;
    std::string url;
    {
      const auto proxy = KubectlProxy::start({.kubeconfig = kubeconfig.string()});
      url = proxy->url();
      CHECK(url.starts_with("http://127.0.0.1:"));
      const auto answer = http.send({.url = url + "/api/v1/namespaces/default"});
      CHECK(answer.status == 200);
      CHECK(answer.body.find("\"name\":\"default\"") != std::string::npos);
    }
    const auto after = http.send({.url = url + "/version", .timeout = std::chrono::seconds(2)});
    CHECK_FALSE(after.answered());
  }

  TEST_CASE("a kubectl that cannot start the proxy names the cause") {
    TempDir dir;
    const auto missing = (dir.path() / "no-such-kubeconfig").string();
    CHECK_THROWS_AS(KubectlProxy::start({.kubeconfig = missing}), Error);
    CHECK_THROWS_AS(KubectlProxy::start({.kubectl = "/nonexistent/kubectl"}), Error);
  }
}
