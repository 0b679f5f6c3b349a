#include <doctest/doctest.h>

#include "fixtures/fake_kube_api_server.h"
#include "fixtures/kubectl_runner.h"

using cxtm::testing::FakeKubeApiServer;
using cxtm::testing::Kubectl;

TEST_SUITE("fixtures/fake_kube_api_server") {
  TEST_CASE("kubectl lists the seeded namespaces") {
    FakeKubeApiServer server;
    const Kubectl kubectl(server);
    const auto result = kubectl.run({"get", "namespaces", "-o", "name"});
    CHECK(result.err == "");
    CHECK(result.out == "namespace/default\nnamespace/kube-public\nnamespace/kube-system\n");
  }
}
