// The waits' lists and watches through one `kubectl proxy` (kube/proxy_watch_source.h): the real
// kubectl proxy in front of the API server double, an event seen as it happens, a stop that ends
// a watch at once, and the server's refusals classified as kubectl's own reports of them are.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "fixtures/fake_kube_api_server.h"
#include "kube/proxy_watch_source.h"
#include "support/kubectl_runner.h"
#include "support/temp_dir.h"

namespace test_kube_proxy_watch_source {

using cxtm::ExitCode;
using cxtm::Json;
using namespace cxtm::kube;

namespace {

Json configmap(const std::string& name) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}, {"namespace", "default"}}},
          {"data", {{"k", "v"}}}};
}

constexpr const char* kConfigMaps = "/api/v1/namespaces/default/configmaps";

}  // namespace

TEST_SUITE("kube/proxy_watch_source") {
  TEST_CASE("http_failure reads the Status as kubectl would: code and whether to ask again") {
    const auto failure = [](int status, const std::string& body) {
      return http_failure("list x", {.status = status, .body = body});
    };
    const auto forbidden = failure(
        403, R"({"kind":"Status","reason":"Forbidden","message":"pods is forbidden: User u"})");
    CHECK(forbidden.code() == ExitCode::forbidden);
    CHECK(forbidden.kind() == FailureKind::refused);
    CHECK(std::string(forbidden.what()) ==
          "kubectl list x: Error from server (Forbidden): pods is forbidden: User u");
    CHECK(failure(500, "").kind() == FailureKind::unknown);
    CHECK(failure(503, "<html>bad gateway</html>").kind() == FailureKind::unknown);
    CHECK(failure(429, "").kind() == FailureKind::transient);
    CHECK(failure(404, "").code() == ExitCode::not_found);

    const auto timed_out =
        http_failure("watch x", {.error = "no answer within 2s", .timed_out = true});
    CHECK(timed_out.code() == ExitCode::timeout);
    CHECK(timed_out.kind() == FailureKind::unknown);
    const auto refused =
        http_failure("list x", {.error = "Couldn't connect to server", .not_connected = true});
    CHECK(refused.kind() == FailureKind::transient);
    // kubectl proxy's own 500 when it cannot reach the API server: kubectl's words for it.
    const auto unreachable =
        http_failure("get x", {.status = 500,
                               .headers = {{"content-type", "text/plain; charset=utf-8"}},
                               .body = "dial tcp 127.0.0.1:1: connect: connection refused"});
    CHECK(unreachable.code() == ExitCode::kubectl);
    CHECK(unreachable.kind() == FailureKind::transient);
    CHECK(std::string(unreachable.what()) ==
          "kubectl get x: Unable to connect to the server: dial tcp 127.0.0.1:1: connect: "
          "connection refused");
    // Its report of a failure after the request went out (EOF, a reset): the write may be done.
    CHECK(http_failure("put x", {.status = 500,
                                 .headers = {{"content-type", "text/plain; charset=utf-8"}},
                                 .body = "EOF"})
              .kind() == FailureKind::unknown);
    // A connection that broke after the request went out may have carried it: not a refusal.
    CHECK(http_failure("list x", {.error = "Connection reset by peer"}).kind() !=
          FailureKind::transient);
  }

  TEST_CASE("one kubectl proxy lists and watches, a stop ends the watch, a 403 is a refusal") {
    cxtm::testing::FakeKubeApiServer server;
    cxtm::testing::TempDir dir;
    server.put_object(configmap("first"));
    const KubectlOptions options{.kubectl = cxtm::testing::test_kubectl(),
                                 .kubeconfig = server.write_kubeconfig(dir.path()).string(),
                                 .request_timeout = "20s"};
    ProxyWatchSource source(std::make_shared<SharedProxy>(options), options);
    const Json list = source.list(kConfigMaps);
    REQUIRE(list["items"].size() == 1);
    const std::string version = list["metadata"]["resourceVersion"];

    std::atomic<bool> stop{false};
    std::atomic<bool> seen{false};
    std::thread watcher([&] {
      source.watch(
          std::string(kConfigMaps) + "?watch=1&timeoutSeconds=19&resourceVersion=" + version,
          [&](std::string_view line) {
            if (line.find("\"second\"") != std::string_view::npos) seen = true;
          },
          stop);
    });
    server.put_object(configmap("second"));
    for (int i = 0; i < 500 && !seen; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(seen);
    stop = true;
    watcher.join();  // would last the watch's 19 s without the stop

    server.inject({.method = "GET", .path_regex = "/configmaps$", .status = 403});
    try {
      source.list(kConfigMaps);
      FAIL("a 403 was taken for a list");
    } catch (const KubeError& error) {
      CHECK(error.code() == ExitCode::forbidden);
      CHECK_FALSE(error.retriable());
    }
    // The proxy carried all of it: one process, and the double saw each request.
    int lists = 0;
    for (const auto& request : server.requests()) {
      if (request.method == "GET" && request.path == kConfigMaps) ++lists;
    }
    CHECK(lists == 3);
  }
}

}  // namespace test_kube_proxy_watch_source
