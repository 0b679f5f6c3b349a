#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "core/error.h"
#include "fixtures/fake_kube_api_server.h"
#include "kube/kubectl_proxy.h"
#include "net/http_client.h"
#include "support/temp_dir.h"

namespace test_kube_kubectl_proxy {

using namespace cxtm::kube;
using cxtm::Error;
using cxtm::testing::FakeKubeApiServer;
using cxtm::testing::TempDir;

TEST_SUITE("kube/kubectl_proxy") {
  TEST_CASE("the serving line is complete once its newline is there") {
    CHECK(proxy_serving("Starting to serve on /tmp/cxtm-o11y-Ab12Cd/kube-api.sock\n"));
    CHECK_FALSE(proxy_serving("Starting to serve on /tmp/cxtm-o11y-Ab12Cd/kube-a"));
    CHECK_FALSE(proxy_serving(""));
  }

  TEST_CASE("kubectl proxy serves the API server on a socket only this user can reach") {
    FakeKubeApiServer server;
    TempDir dir;
    const auto kubeconfig = server.write_kubeconfig(dir.path());
    cxtm::net::CurlHttpClient http;
    std::filesystem::path socket;
    {
      std::vector<std::string> argv;
      const auto proxy = KubectlProxy::start(
          {.kubeconfig = kubeconfig.string(),
           .on_command = [&](const std::vector<std::string>& command) { argv = command; }});
      socket = proxy->socket();
      // No TCP port: nothing another user of the machine could connect to.
      CHECK(proxy->url() == "http://localhost");
      CHECK(std::find(argv.begin(), argv.end(), "--unix-socket=" + socket.string()) != argv.end());
      for (const auto& part : argv) CHECK_FALSE(part.starts_with("--port"));
      struct stat info {};
      REQUIRE(::stat(socket.parent_path().c_str(), &info) == 0);
      CHECK((info.st_mode & 0777) == 0700);
      CHECK(info.st_uid == ::geteuid());
      REQUIRE(::lstat(socket.c_str(), &info) == 0);
      CHECK(S_ISSOCK(info.st_mode));

      // Not reachable as a TCP URL; reachable through the socket.
      CHECK(http.send({.url = proxy->url() + "/version", .timeout = std::chrono::seconds(2)})
                .status != 200);
      http.route_through_socket(proxy->url(), proxy->socket());
      const auto answer = http.send({.url = proxy->url() + "/api/v1/namespaces/default"});
      CHECK(answer.status == 200);
      CHECK(answer.body.find("\"name\":\"default\"") != std::string::npos);
    }
    // Gone with the proxy, directory and all.
    CHECK_FALSE(std::filesystem::exists(socket.parent_path()));
    const auto after =
        http.send({.url = "http://localhost/version", .timeout = std::chrono::seconds(2)});
    CHECK_FALSE(after.answered());
  }

  TEST_CASE("a kubectl that cannot start the proxy names the cause") {
    TempDir dir;
    const auto missing = (dir.path() / "no-such-kubeconfig").string();
    CHECK_THROWS_AS(KubectlProxy::start({.kubeconfig = missing}), Error);
    CHECK_THROWS_AS(KubectlProxy::start({.kubectl = "/nonexistent/kubectl"}), Error);
  }
}

}  // namespace test_kube_kubectl_proxy
