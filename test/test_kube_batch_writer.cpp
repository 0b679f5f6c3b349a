// One kubectl run for a wave's writes: each object's outcome from what kubectl printed and the
// error line naming it (kube/batch_writer.h), and the decorator that gathers concurrent writes
// into such runs (kube/batching_client.h). The real kubectl writing a batch against the API
// server double is in test_integration_fleet.cpp.
#include <doctest/doctest.h>

#include <atomic>
#include <latch>
#include <thread>

#include "kube/batch_writer.h"
#include "kube/batching_client.h"
#include "support/stub_kube_client.h"

namespace test_kube_batch_writer {

using cxtm::ExitCode;
using cxtm::Json;
using namespace cxtm::kube;

namespace {

Json deployment(const std::string& name) {
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", {{"name", name}, {"namespace", "default"}, {"resourceVersion", "7"}}}};
}

Json stored(const std::string& name) {
  Json object = deployment(name);
  object["metadata"]["resourceVersion"] = "8";
  return object;
}

// Records the batches it is asked to write, answering each object as stored (or the failure
// the test names).
class RecordingWriter : public BatchWriter {
 public:
  std::vector<size_t> batches;
  std::string failing;  // an object name that fails with a conflict
  std::vector<WriteOutcome> replace_all(const std::vector<Json>& objects) override {
    std::lock_guard lock(mutex_);
    batches.push_back(objects.size());
    std::vector<WriteOutcome> outcomes;
    for (const Json& object : objects) {
      const std::string name = object["metadata"]["name"];
      if (name == failing) {
        outcomes.push_back(
            {.stored = std::nullopt,
             .failure = KubeError(ExitCode::conflict, "conflict " + name, FailureKind::refused)});
      } else {
        outcomes.push_back({.stored = stored(name), .failure = std::nullopt});
      }
    }
    return outcomes;
  }
  std::vector<WriteOutcome> apply_all(const std::vector<Json>& objects, std::string_view) override {
    return replace_all(objects);
  }

 private:
  std::mutex mutex_;
};

// The client a lone write goes to.
// The inner client, for a write that goes alone: the same world as the writer's (the object
// named `failing` conflicts whichever way it is written).
class SingleClient : public cxtm::testing::StubKubeClient {
 public:
  std::atomic<int> replaces{0};
  std::string failing;
  Json replace(const Json& object) override {
    ++replaces;
    const std::string name = object["metadata"]["name"];
    if (name == failing) {
      throw KubeError(ExitCode::conflict, "conflict " + name, FailureKind::refused);
    }
    return stored(name);
  }
};

}  // namespace

TEST_SUITE("kube/batch_writer") {
  TEST_CASE("each object's answer is found in kubectl's output, one document or a List") {
    const std::vector<Json> objects = {deployment("svc-1"), deployment("svc-2")};
    const std::string out = stored("svc-2").dump(2) + "\n" +
                            Json{{"kind", "List"}, {"items", {stored("svc-1")}}}.dump(2);
    const auto outcomes = batch_outcomes("replace", objects, {.exit_code = 0, .out = out});
    REQUIRE(outcomes.size() == 2);
    CHECK(outcomes[0].stored.value()["metadata"]["name"] == "svc-1");
    CHECK(outcomes[1].stored.value()["metadata"]["resourceVersion"] == "8");
  }

  TEST_CASE("an object kubectl's error line names gets that error, classified as alone") {
    const std::vector<Json> objects = {deployment("svc-1"), deployment("svc-10"),
                                       deployment("svc-2")};
    const std::string err =
        "Warning: something\n"
        "Error from server (Conflict): error when replacing \"STDIN\": Operation cannot be "
        "fulfilled on deployments.apps \"svc-1\": the object has been modified; please apply "
        "your changes to the latest version and try again\n"
        "Error from server (Forbidden): error when replacing \"STDIN\": deployments.apps "
        "\"svc-2\" is forbidden: User \"u\" cannot update resource\n";
    const auto outcomes = batch_outcomes(
        "replace", objects, {.exit_code = 1, .out = stored("svc-10").dump(), .err = err});
    REQUIRE(outcomes.size() == 3);
    REQUIRE(outcomes[0].failure);
    CHECK(outcomes[0].failure->code() == ExitCode::conflict);
    CHECK(std::string(outcomes[0].failure->what()).find("replace Deployment default/svc-1") !=
          std::string::npos);
    CHECK(outcomes[1].stored);  // svc-10 is not svc-1
    REQUIRE(outcomes[2].failure);
    CHECK(outcomes[2].failure->code() == ExitCode::forbidden);
  }

  TEST_CASE("an object neither answered nor named may have been written: outcome unknown") {
    const std::vector<Json> objects = {deployment("svc-1"), deployment("svc-2")};
    const auto outcomes = batch_outcomes(
        "replace", objects,
        {.exit_code = 1,
         .out = stored("svc-1").dump(),
         .err = "error: an error on the server (\"\") has prevented the request from "
                "succeeding\n"});
    REQUIRE(outcomes[1].failure);
    CHECK(outcomes[1].failure->kind() == FailureKind::unknown);
  }

  TEST_CASE("same-named objects of several kinds: an error line goes to the kind it names") {
    const auto object = [](const std::string& kind) {
      return Json{{"apiVersion", "v1"}, {"kind", kind}, {"metadata", {{"name", "otel-collector"}}}};
    };
    const std::vector<Json> objects = {object("ServiceAccount"), object("ClusterRole"),
                                       object("ClusterRoleBinding")};
    // kubectl apply prints no object once one failed.
    const auto outcomes = batch_outcomes(
        "apply", objects,
        {.exit_code = 1,
         .err = "Error from server (Forbidden): clusterroles.rbac.authorization.k8s.io "
                "\"otel-collector\" is forbidden: User \"u\" cannot patch resource "
                "\"clusterroles\"\n"});
    REQUIRE(outcomes.size() == 3);
    REQUIRE(outcomes[1].failure);
    CHECK(outcomes[1].failure->code() == ExitCode::forbidden);
    CHECK_FALSE(outcomes[1].unanswered);
    for (const size_t i : {0, 2}) {
      REQUIRE(outcomes[i].failure);
      CHECK(outcomes[i].failure->kind() == FailureKind::unknown);
      CHECK(outcomes[i].unanswered);
    }
    CHECK(first_failure(outcomes) == &*outcomes[1].failure);
  }

  TEST_CASE("first_failure: none when every object was written, else the first named") {
    CHECK(first_failure({{.stored = stored("svc-1"), .failure = std::nullopt}}) == nullptr);
    const std::vector<WriteOutcome> unnamed = {
        {.stored = std::nullopt,
         .failure = KubeError(ExitCode::api_error, "no answer", FailureKind::unknown),
         .unanswered = true}};
    CHECK(first_failure(unnamed) == &*unnamed[0].failure);
  }

  TEST_CASE("a run that failed as a whole fails every object as a single write would") {
    const std::vector<Json> objects = {deployment("svc-1"), deployment("svc-2")};
    const auto outcomes = batch_outcomes(
        "apply", objects,
        {.exit_code = 1,
         .err = "The connection to the server 127.0.0.1:1 was refused - did you specify the "
                "right host or port?\n"});
    for (const auto& outcome : outcomes) {
      REQUIRE(outcome.failure);
      CHECK(outcome.failure->kind() == FailureKind::transient);
    }
  }
}

TEST_SUITE("kube/batching_client") {
  TEST_CASE("writes started together go out in a few batches, each caller gets its own answer") {
    auto single = std::make_unique<SingleClient>();
    SingleClient& alone = *single;
    alone.failing = "svc-3";
    RecordingWriter writer;
    writer.failing = "svc-3";
    // A long window: the threads below, started together, join the first batches. (How many
    // runs a loaded machine makes of them varies; what each caller gets does not.)
    BatchingClient client(std::move(single), writer, std::chrono::milliseconds(300),
                          std::chrono::seconds(5));
    std::vector<std::string> answers(5);
    std::vector<std::thread> threads;
    std::latch start(5);
    for (int i = 0; i < 5; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        const std::string name = "svc-" + std::to_string(i);
        try {
          answers[i] = client.replace(deployment(name))["metadata"]["resourceVersion"];
        } catch (const KubeError& error) {
          answers[i] = error.code() == ExitCode::conflict ? "conflict" : "other";
        }
      });
    }
    for (auto& thread : threads) thread.join();
    // Five writes, each once (a run of one is the inner call), some of them together.
    size_t written = static_cast<size_t>(alone.replaces);
    for (const size_t batch : writer.batches) written += batch;
    CHECK(written == 5);
    CHECK(writer.batches.size() + static_cast<size_t>(alone.replaces) < 5);
    CHECK(answers == std::vector<std::string>{"8", "8", "8", "conflict", "8"});
  }

  TEST_CASE("a write with nobody to share it goes to the inner client alone") {
    auto single = std::make_unique<SingleClient>();
    SingleClient& alone = *single;
    RecordingWriter writer;
    BatchingClient client(std::move(single), writer, std::chrono::milliseconds(1),
                          std::chrono::milliseconds(5));
    CHECK(client.replace(deployment("svc-1"))["metadata"]["resourceVersion"] == "8");
    CHECK(alone.replaces == 1);
    CHECK(writer.batches.empty());
  }
}

}  // namespace test_kube_batch_writer
