// The watching client: reads of watched collections come from the cache a LIST and a WATCH
// keep, resumed from the last resourceVersion, listed again after 410, given up for the inner
// client when the server refuses; a read after this client's own write never sees the object
// as it was before. The source is scripted here; test_integration_fleet.cpp runs the same
// client over the real kubectl and the API server double.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "kube/watch_event.h"
#include "kube/watching_client.h"
#include "support/stub_kube_client.h"

namespace test_kube_watching_client {

using cxtm::ExitCode;
using cxtm::Json;
using namespace cxtm::kube;

namespace {

Json deployment(const std::string& name, long long generation, const std::string& version) {
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata",
           {{"name", name},
            {"namespace", "default"},
            {"generation", generation},
            {"resourceVersion", version}}},
          {"status", {{"observedGeneration", generation}}}};
}

std::string event(const std::string& type, const Json& object) {
  return Json{{"type", type}, {"object", object}}.dump();
}

// The API server behind the cache: answers get with what the test stored and counts the calls.
class CountingClient : public cxtm::testing::StubKubeClient {
 public:
  std::map<std::string, Json> objects;  // by name
  std::atomic<int> gets{0};
  std::atomic<int> lists{0};

  std::optional<Json> get(const ObjectRef& ref) override {
    ++gets;
    const auto found = objects.find(ref.name);
    return found == objects.end() ? std::nullopt : std::optional<Json>(found->second);
  }
  std::vector<Json> list(std::string_view, std::string_view, std::string_view) override {
    ++lists;
    return {};
  }
  Json replace(const Json& object) override {
    Json stored = object;
    stored["metadata"]["generation"] = object["metadata"].value("generation", 0) + 1;
    objects[object["metadata"].value("name", "")] = stored;
    return stored;
  }
};

// A LIST and WATCH the test scripts: lists answer in turn (the last one again), each watch
// plays its lines and ends (or fails); once the script is out, watches stay open until stopped.
class ScriptedSource : public WatchSource {
 public:
  struct Session {
    std::vector<std::string> lines;
    std::optional<KubeError> failure;
    std::chrono::milliseconds before{0};  // waited before the lines
  };
  std::deque<Json> list_answers;
  std::optional<KubeError> list_failure;
  std::deque<Session> sessions;

  Json list(const std::string& path) override {
    std::unique_lock lock(mutex_);
    list_paths_.push_back(path);
    changed_.notify_all();
    if (list_failure) throw *list_failure;
    Json answer = list_answers.front();
    if (list_answers.size() > 1) list_answers.pop_front();
    return answer;
  }

  void watch(const std::string& path, const std::function<void(std::string_view)>& on_line,
             const std::atomic<bool>& stop) override {
    std::optional<Session> session;
    {
      std::lock_guard lock(mutex_);
      watch_paths_.push_back(path);
      changed_.notify_all();
      if (!sessions.empty() && path.find("/deployments") != std::string::npos) {
        session = sessions.front();
        sessions.pop_front();
      }
    }
    if (session) {
      std::this_thread::sleep_for(session->before);
      for (const auto& line : session->lines) on_line(line);
      if (session->failure) throw *session->failure;
      return;
    }
    while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

  void limit_request_time(cxtm::Duration) override {}
  int watch_seconds() const override { return 60; }

  // Waits (20 s at most) until `count` calls of the kind were made; the paths seen.
  std::vector<std::string> await_watches(size_t count) { return await(watch_paths_, count); }
  std::vector<std::string> await_lists(size_t count) { return await(list_paths_, count); }

 private:
  std::vector<std::string> await(const std::vector<std::string>& paths, size_t count) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(20), [&] { return paths.size() >= count; });
    return paths;
  }
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> list_paths_;
  std::vector<std::string> watch_paths_;
};

Json deployment_list(const std::vector<Json>& items, const std::string& version) {
  return {{"kind", "DeploymentList"},
          {"apiVersion", "apps/v1"},
          {"metadata", {{"resourceVersion", version}}},
          {"items", items}};
}

const ObjectRef kScheduler{"apps/v1", "Deployment", "default", "cxtm-scheduler"};

// A client over the scripted source; `inner` and `source` stay reachable to the test.
struct Setup {
  CountingClient* inner = nullptr;
  ScriptedSource* source = nullptr;
  std::unique_ptr<WatchingClient> client;

  explicit Setup(std::function<void(ScriptedSource&)> script = {}) {
    auto counting = std::make_unique<CountingClient>();
    auto scripted = std::make_unique<ScriptedSource>();
    scripted->list_answers.push_back(
        deployment_list({deployment("cxtm-scheduler", 1, "10")}, "10"));
    if (script) script(*scripted);
    inner = counting.get();
    source = scripted.get();
    client = std::make_unique<WatchingClient>(std::move(counting), std::move(scripted));
  }
};

// The watches running, and this client's write of the scheduler answered with generation 2
// while the cache still holds 1: the watch brings the write 100 ms later.
Setup lagging_behind_own_write() {
  Setup setup([](ScriptedSource& source) {
    source.sessions.push_back({.lines = {event("MODIFIED", deployment("cxtm-scheduler", 2, "11"))},
                               .before = std::chrono::milliseconds(100)});
  });
  setup.client->await_change(kScheduler, std::chrono::milliseconds(1));
  setup.source->await_lists(3);
  setup.client->replace(deployment("cxtm-scheduler", 1, "10"));
  return setup;
}

}  // namespace

TEST_SUITE("kube/watch_event") {
  TEST_CASE("watch lines parse into their events, anything else is skipped") {
    const auto added = parse_watch_event(event("ADDED", deployment("d", 1, "7")));
    REQUIRE(added);
    CHECK(added->type == WatchEvent::Type::added);
    CHECK(added->resource_version() == "7");
    const auto expired = parse_watch_event(
        R"({"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired"}})");
    REQUIRE(expired);
    CHECK(expired->error_code() == 410);
    CHECK(!parse_watch_event(""));
    CHECK(!parse_watch_event("{\"type\":\"ADDED\"}"));
    CHECK(!parse_watch_event(R"({"type":"SYNC","object":{}})"));
    CHECK(!parse_watch_event("not json"));
  }

  TEST_CASE("a line split over chunks comes out whole") {
    LineBuffer buffer;
    CHECK(buffer.append("{\"a\":").empty());
    CHECK(buffer.append("1}\n{\"b\"") == std::vector<std::string>{"{\"a\":1}"});
    CHECK(buffer.append(":2}\n\n") == std::vector<std::string>{"{\"b\":2}", ""});
  }

  TEST_CASE("equality selectors are matched here, anything else is left to the API server") {
    const Json labels = {{"app", "web"}, {"pod-template-hash", "abc"}};
    CHECK(matches_equality_selector("app=web,pod-template-hash=abc", labels) == true);
    CHECK(matches_equality_selector("app==web", labels) == true);
    CHECK(matches_equality_selector("app=db", labels) == false);
    CHECK(matches_equality_selector("tier=x", labels) == false);
    CHECK(matches_equality_selector("", labels) == true);
    CHECK(!matches_equality_selector("app!=db", labels));
    CHECK(!matches_equality_selector("app in (web)", labels));
    CHECK(!matches_equality_selector("app", labels));
  }
}

TEST_SUITE("kube/watching_client") {
  TEST_CASE("before anything waits, reads go to the API server") {
    Setup setup;
    setup.inner->objects["cxtm-scheduler"] = deployment("cxtm-scheduler", 1, "10");
    CHECK(setup.client->get(kScheduler));
    CHECK(setup.inner->gets == 1);
    CHECK(setup.source->await_lists(0).empty());
  }

  TEST_CASE("once a wait has started the watches, reads of the namespace come from the cache") {
    Setup setup;
    setup.client->await_change(kScheduler, std::chrono::seconds(20));
    const auto lists = setup.source->await_lists(3);
    // The workloads of the kind, their ReplicaSets and the pods: one list and watch each.
    CHECK(lists.size() == 3);
    setup.source->await_watches(3);
    const auto read = setup.client->get(kScheduler);
    REQUIRE(read);
    CHECK((*read)["metadata"]["resourceVersion"] == "10");
    CHECK(!setup.client->get({"apps/v1", "Deployment", "default", "absent"}));
    CHECK(setup.client->list("pods", "default", "app=x").empty());
    CHECK(setup.inner->gets == 0);
    CHECK(setup.inner->lists == 0);
    // Another namespace is not watched.
    CHECK(!setup.client->get({"apps/v1", "Deployment", "other", "cxtm-scheduler"}));
    CHECK(setup.inner->gets == 1);
  }

  TEST_CASE("a watch the server ends is resumed from the last resourceVersion it carried") {
    Setup setup([](ScriptedSource& source) {
      source.sessions.push_back(
          {.lines = {event("MODIFIED", deployment("cxtm-scheduler", 2, "12")),
                     R"({"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"15"}}})"}});
    });
    setup.client->await_change(kScheduler, std::chrono::milliseconds(1));
    std::vector<std::string> deployment_watches;
    for (const auto& path : setup.source->await_watches(4)) {
      if (path.find("/deployments") != std::string::npos) deployment_watches.push_back(path);
    }
    REQUIRE(deployment_watches.size() == 2);
    CHECK(deployment_watches[0].find("resourceVersion=10") != std::string::npos);
    CHECK(deployment_watches[1].find("resourceVersion=15") != std::string::npos);
    CHECK(setup.client->get(kScheduler).value()["metadata"]["generation"] == 2);
    CHECK(setup.inner->gets == 0);
  }

  TEST_CASE("a watch that fails is resumed too, and reads go to the API server until it heals") {
    Setup setup([](ScriptedSource& source) {
      source.sessions.push_back(
          {.failure = KubeError(ExitCode::api_error, "connection lost", FailureKind::unknown)});
      source.sessions.push_back(
          {.lines = {event("MODIFIED", deployment("cxtm-scheduler", 3, "20"))},
           .before = std::chrono::milliseconds(50)});
    });
    setup.client->await_change(kScheduler, std::chrono::milliseconds(1));
    std::vector<std::string> deployment_watches;
    for (const auto& path : setup.source->await_watches(5)) {
      if (path.find("/deployments") != std::string::npos) deployment_watches.push_back(path);
    }
    REQUIRE(deployment_watches.size() >= 2);
    CHECK(deployment_watches[1].find("resourceVersion=10") != std::string::npos);
    CHECK(setup.source->await_lists(3).size() == 3);  // no list again: nothing was missed
  }

  TEST_CASE("410 Expired lists again, and the cache holds what the new list says") {
    Setup setup([](ScriptedSource& source) {
      source.list_answers.push_back(deployment_list({deployment("cxtm-scheduler", 5, "40")}, "40"));
      source.sessions.push_back(
          {.lines = {
               R"({"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired"}})"}});
    });
    setup.client->await_change(kScheduler, std::chrono::milliseconds(1));
    std::vector<std::string> deployment_lists;
    for (const auto& path : setup.source->await_lists(4)) {
      if (path.find("/deployments") != std::string::npos) deployment_lists.push_back(path);
    }
    CHECK(deployment_lists.size() == 2);
    std::vector<std::string> deployment_watches;
    for (const auto& path : setup.source->await_watches(4)) {
      if (path.find("/deployments") != std::string::npos) deployment_watches.push_back(path);
    }
    REQUIRE(deployment_watches.size() == 2);
    CHECK(deployment_watches[1].find("resourceVersion=40") != std::string::npos);
    CHECK(setup.client->get(kScheduler).value()["metadata"]["generation"] == 5);
  }

  TEST_CASE("when the API server refuses to list or watch, reads and waits poll as before") {
    Setup setup([](ScriptedSource& source) {
      source.list_failure = KubeError(ExitCode::forbidden, "forbidden", FailureKind::refused);
    });
    setup.inner->objects["cxtm-scheduler"] = deployment("cxtm-scheduler", 1, "10");
    setup.client->await_change(kScheduler, std::chrono::milliseconds(1));
    setup.source->await_lists(3);
    setup.client->await_change(kScheduler, std::chrono::milliseconds(1));
    CHECK(setup.client->get(kScheduler));
    CHECK(setup.inner->gets == 1);
    // Refused for good: never listed again.
    CHECK(setup.source->await_lists(3).size() == 3);
    CHECK(setup.source->await_watches(0).empty());
  }

  TEST_CASE("a read after this client's own write waits until the cache holds that write") {
    Setup setup = lagging_behind_own_write();
    const auto read = setup.client->get(kScheduler);
    REQUIRE(read);
    CHECK((*read)["metadata"]["generation"] == 2);
    CHECK((*read)["metadata"]["resourceVersion"] == "11");  // the watched copy, not the inner's
    CHECK(setup.inner->gets == 0);
  }

  TEST_CASE("a list after this client's own write waits for it too, and one after a delete asks") {
    Setup setup = lagging_behind_own_write();
    const auto listed = setup.client->list("deployments.apps", "default", "");
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["metadata"]["generation"] == 2);
    CHECK(setup.inner->lists == 0);
    // After a delete the cache may still hold the object for a while: the API server answers.
    setup.client->remove(kScheduler);
    setup.client->list("deployments.apps", "default", "");
    CHECK(setup.inner->lists == 1);
  }

  TEST_CASE("a write the cache never shows is read from the API server instead") {
    Setup setup;
    setup.client->await_change(kScheduler, std::chrono::milliseconds(1));
    setup.source->await_lists(3);
    setup.client->replace(deployment("cxtm-scheduler", 1, "10"));
    const auto read = setup.client->get(kScheduler);
    REQUIRE(read);
    CHECK((*read)["metadata"]["generation"] == 2);
    CHECK(setup.inner->gets == 1);
  }
}

}  // namespace test_kube_watching_client
