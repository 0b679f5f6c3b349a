// Retries of the kube client's reads and writes on a clock of the test's own: the pauses it
// takes are seen, none is slept.
#include <doctest/doctest.h>

#include "kube/retrying_client.h"
#include "support/manual_time.h"
#include "support/stub_kube_client.h"

namespace test_kube_retrying_client {

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

// Applies of several objects: "refused" is refused every time, "flaky" fails in passing once,
// the others are stored. Records the names of each batch it is given.
class BatchApplies : public cxtm::testing::StubKubeClient {
 public:
  std::vector<kube::WriteOutcome> apply_each(const std::vector<Json>& objects, kube::DryRun,
                                             std::string_view) override {
    std::vector<std::string> names;
    std::vector<kube::WriteOutcome> outcomes;
    for (const Json& object : objects) {
      const std::string name = object["metadata"]["name"];
      names.push_back(name);
      if (name == "refused" || (name == "flaky" && flaky_failures_-- > 0)) {
        outcomes.push_back(
            {.stored = std::nullopt,
             .failure = kube::KubeError(
                 ExitCode::api_error, name,
                 name == "refused" ? kube::FailureKind::refused : kube::FailureKind::unknown)});
      } else {
        outcomes.push_back({.stored = object, .failure = std::nullopt});
      }
    }
    batches.push_back(names);
    return outcomes;
  }
  std::vector<std::vector<std::string>> batches;

 private:
  int flaky_failures_ = 1;
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

  TEST_CASE("applies of several objects: only those that failed in passing are applied again") {
    ManualTime time;
    auto batch = std::make_unique<BatchApplies>();
    BatchApplies& inner = *batch;
    kube::RetryingClient client(std::move(batch), {.time = &time});
    const auto named = [](const std::string& name) {
      return Json{{"kind", "ConfigMap"}, {"metadata", {{"name", name}}}};
    };
    const auto outcomes = client.apply_each({named("ok"), named("flaky"), named("refused")},
                                            kube::DryRun::none, "cxtm-o11y");
    REQUIRE(outcomes.size() == 3);
    CHECK(outcomes[0].stored);
    CHECK(outcomes[1].stored);
    REQUIRE(outcomes[2].failure);
    CHECK(outcomes[2].failure->kind() == kube::FailureKind::refused);
    CHECK(inner.batches ==
          std::vector<std::vector<std::string>>{{"ok", "flaky", "refused"}, {"flaky"}});
    CHECK(time.pauses() == std::vector<Duration>{200ms});
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

}  // namespace test_kube_retrying_client
