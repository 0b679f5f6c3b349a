// Retries of the kube client's reads and writes on a clock of the test's own: the pauses it
// takes are seen, none is slept.
#include <doctest/doctest.h>

#include "kube/retrying_client.h"
#include "support/manual_time.h"
#include "support/stub_kube_client.h"

using namespace cxtm;
using namespace std::chrono_literals;
using cxtm::testing::ManualTime;

namespace {

// Fails its first `failures` reads with error, then finds an empty ConfigMap.
class FlakyReads : public cxtm::testing::StubKubeClient {
 public:
  FlakyReads(int failures, kube::KubeError error) : failures_(failures), error_(std::move(error)) {}
  std::optional<Json> get(const kube::ObjectRef&) override {
    ++reads;
    if (failures_-- > 0) throw error_;
    return Json{{"kind", "ConfigMap"}};
  }
  int reads = 0;

 private:
  int failures_;
  kube::KubeError error_;
};

const kube::KubeError kTransient(ExitCode::api_error, "connection refused",
                                 kube::FailureKind::transient);
const kube::ObjectRef kRef{"v1", "ConfigMap", "default", "x"};

}  // namespace

TEST_SUITE("kube/retrying_client") {
  TEST_CASE("a read that fails in passing is asked again after doubling pauses") {
    ManualTime time;
    auto flaky = std::make_unique<FlakyReads>(3, kTransient);
    FlakyReads& inner = *flaky;
    kube::RetryingClient client(std::move(flaky), {.time = &time});
    CHECK(client.get(kRef).has_value());
    CHECK(inner.reads == 4);
    CHECK(time.pauses() == std::vector<Duration>{200ms, 400ms, 800ms});
  }

  TEST_CASE("a refusal is not asked again") {
    ManualTime time;
    auto flaky = std::make_unique<FlakyReads>(
        1, kube::KubeError(ExitCode::forbidden, "forbidden", kube::FailureKind::refused));
    FlakyReads& inner = *flaky;
    kube::RetryingClient client(std::move(flaky), {.time = &time});
    CHECK_THROWS_AS(client.get(kRef), kube::KubeError);
    CHECK(inner.reads == 1);
    CHECK(time.pauses().empty());
  }

  TEST_CASE("the tries stop at the attempts, then at the budget, with the last failure") {
    ManualTime time;
    auto flaky = std::make_unique<FlakyReads>(100, kTransient);
    FlakyReads& inner = *flaky;
    kube::RetryingClient client(std::move(flaky), {.time = &time});
    CHECK_THROWS_WITH(client.get(kRef), "connection refused");
    CHECK(inner.reads == 5);

    ManualTime short_time;
    auto slow = std::make_unique<FlakyReads>(100, kTransient);
    FlakyReads& slow_inner = *slow;
    kube::RetryingClient tight(std::move(slow),
                               {.attempts = 10, .budget = 1s, .time = &short_time});
    CHECK_THROWS_AS(tight.get(kRef), kube::KubeError);
    // 200 + 400 ms have passed; another 800 ms would go past the 1 s budget.
    CHECK(short_time.pauses() == std::vector<Duration>{200ms, 400ms});
    CHECK(slow_inner.reads == 3);
  }
}
