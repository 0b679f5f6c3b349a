// Crash recovery and concurrency end to end: cxtm-o11y killed with SIGKILL right after each of
// its writes has landed at the API server and before its answer goes out, stopped by SIGTERM
// while it waits for a rollout, and run twice at once on one service. Whatever happened, the next
// run converges, the original backup is the Deployment as it was, and rollback gives its pod
// template back exactly.

#include <doctest/doctest.h>
#include <signal.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "core/atomic_file.h"
#include "core/digest.h"
#include "core/json.h"
#include "instrument/owned.h"
#include "instrument/transform.h"
#include "support/cluster_cli.h"
#include "support/kubectl_runner.h"
#include "support/kubectl_spy.h"
#include "support/reliability_log.h"

namespace test_integration_crash {

using cxtm::Json;
using cxtm::read_file;
using cxtm::sha256_hex;
using cxtm::instrument::instrumented_by_us;
using cxtm::kube::ProcessResult;
using cxtm::testing::carries_our_annotations;
using cxtm::testing::ClusterCli;
using cxtm::testing::CopyOf;
using cxtm::testing::fast;
using cxtm::testing::has_installer;
using cxtm::testing::KubectlSpy;
using cxtm::testing::lines_starting;
using cxtm::testing::log_reliability;
using cxtm::testing::PodBehaviour;
using cxtm::testing::same_json;
using cxtm::testing::test_kubectl;

namespace {

// A shape with probes and resources: more for the transform to keep than a bare container.
constexpr const char* kShape = "probes-resources";
constexpr const char* kDeployment = "cxtm-scheduler";
constexpr int kKilled = 128 + SIGKILL;

// The names that occur more than once in a list of named objects (containers, volumes, env),
// space-separated; "" when every name is unique.
std::string duplicate_names(const Json& list) {
  std::map<std::string, int> seen;
  for (const Json& item : list) ++seen[item.value("name", "")];
  std::string duplicates;
  for (const auto& entry : seen) {
    if (entry.second > 1) duplicates += entry.first + " ";
  }
  return duplicates;
}

int count_named(const Json& list, std::string_view name) {
  int count = 0;
  for (const Json& item : list) count += item.value("name", "") == name ? 1 : 0;
  return count;
}

// Instrumented once: one installer, one volume for it, nothing of ours (or the app's) doubled.
void check_converged(const Json& deployment) {
  CHECK(instrumented_by_us(deployment));
  CHECK(has_installer(deployment));
  const Json& pod = deployment["spec"]["template"]["spec"];
  const Json init_containers = pod.value("initContainers", Json::array());
  const Json volumes = pod.value("volumes", Json::array());
  CHECK(count_named(init_containers, cxtm::instrument::kInitContainerName) == 1);
  CHECK(count_named(volumes, cxtm::instrument::kVolumeName) == 1);
  CHECK(duplicate_names(init_containers) == "");
  CHECK(duplicate_names(volumes) == "");
  for (const Json& container : pod["containers"]) {
    CAPTURE(container.value("name", ""));
    CHECK(duplicate_names(container.value("env", Json::array())) == "");
    CHECK(duplicate_names(container.value("volumeMounts", Json::array())) == "");
  }
}

// Both copies of the original (the ConfigMap's and the local file) are the seeded Deployment,
// verified by their sha256, and no half-written temporary file lies beside the local one.
void check_original_backups(const ClusterCli& cluster, const Json& seeded) {
  const auto configmap = cluster.backup_configmap(kDeployment);
  REQUIRE(configmap.has_value());
  const auto local = cluster.local_original(kDeployment);
  REQUIRE(std::filesystem::exists(local));
  const Json expected = cxtm::instrument::strip_for_backup(seeded);
  for (const Json& document :
       {Json::parse((*configmap)["data"]["original.json"].get<std::string>()),
        Json::parse(read_file(local))}) {
    CHECK(document["role"] == "original");
    CHECK(same_json(document["object"], expected));
    CHECK(same_json(document["object"]["spec"]["template"], seeded["spec"]["template"]));
    CHECK(document["sha256"] == sha256_hex(document["object"].dump()));
  }
  for (const auto& entry : std::filesystem::directory_iterator(local.parent_path())) {
    CAPTURE(entry.path().string());
    CHECK(entry.path().filename().string().find(".tmp-") == std::string::npos);
  }
}

// rollback succeeds (or finds nothing left to do) and the pod template is the seeded one.
void check_rollback_restores(const ClusterCli& cluster, const Json& seeded) {
  const auto rollback = cluster.run(fast({"rollback", "scheduler"}));
  INFO(rollback.out, rollback.err);
  CHECK(rollback.exit_code == 0);
  const Json live = cluster.deployment(kDeployment);
  CHECK(same_json(live["spec"]["template"], seeded["spec"]["template"]));
  CHECK_FALSE(carries_our_annotations(live));
}

// The pods of every rollout run a simulated second before they are Ready, so a kill right after
// a write lands while the rollout it started is still under way.
void seed_slow_pods(ClusterCli& cluster) {
  cluster.server.set_pod_behaviour(kDeployment, PodBehaviour::ready_after(1));
}

// The writes a command makes when nothing goes wrong, on a copy of start: method and path of
// each that changed the cluster ("PUT /apis/apps/v1/namespaces/default/deployments/x").
std::vector<std::string> writes_of(const std::vector<std::string>& command,
                                   const ClusterCli& start) {
  ClusterCli cluster(CopyOf{start});
  const int before = cluster.server.write_count();  // start's own, by `prepare`
  std::mutex mutex;
  std::vector<std::string> writes;
  cluster.server.on_write([&](int, const std::string& method, const std::string& path) {
    std::lock_guard lock(mutex);
    writes.push_back(method + " " + path);
  });
  const auto result = cluster.run(command);
  INFO(result.out, result.err);
  REQUIRE(result.exit_code == 0);
  cluster.server.on_write(nullptr);
  CHECK(writes.size() == static_cast<size_t>(cluster.server.write_count() - before));
  return writes;
}

// SIGKILL to pid, then waits (5 s at most) until it has died: a zombie its parent has not reaped
// yet, or gone.
void kill_and_wait(pid_t pid) {
  if (pid <= 0 || ::kill(pid, SIGKILL) != 0) return;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  const std::string stat = "/proc/" + std::to_string(pid) + "/stat";
  while (std::chrono::steady_clock::now() < give_up) {
    std::ifstream in(stat);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto state = text.rfind(") ");
    if (!in || state == std::string::npos || text.compare(state + 2, 1, "Z") == 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

std::string joined(const std::vector<std::string>& parts) {
  std::string text;
  for (const auto& part : parts) text += (text.empty() ? "" : ", ") + part;
  return text;
}

// Polls condition until it holds, for a minute at most; the caller checks it again.
void wait_until(const std::function<bool()>& condition) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (!condition() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// Runs command on cluster with a spy for kubectl; once `when` holds (polled for a minute at
// most), sends SIGTERM to cxtm-o11y, the spy's caller. Returns its result and whether the
// signal went out.
ProcessResult run_terminated(const ClusterCli& cluster, const std::vector<std::string>& command,
                             const std::function<bool()>& when, bool& signalled) {
  const KubectlSpy spy(test_kubectl());
  ProcessResult result;
  std::thread child([&] { result = cluster.run(command, spy.path()); });
  wait_until(when);
  // Never kill(0): that would be this process group.
  const pid_t caller = spy.caller();
  signalled = when() && caller > 0 && ::kill(caller, SIGTERM) == 0;
  child.join();
  return result;
}

// Kills `command` right after each of its writes in turn (once it has landed at the API server,
// before its answer goes out), each time on a copy of a cluster seeded with the original and set
// up by `prepare`, then lets `recover` rerun and check. Prints and logs the kill points covered,
// and checks that every write was one. A run that ends before the kill point (it wrote less than
// the reference run) is tried again, up to kAttempts in all.
void run_kill_matrix(const std::string& name, const std::vector<std::string>& command,
                     const std::function<void(const ClusterCli&)>& prepare,
                     const std::function<void(ClusterCli&, const Json&)>& recover) {
  constexpr int kAttempts = 3;
  ClusterCli start;  // each run gets a copy of it
  const Json seeded = start.seed(kShape, kDeployment);
  prepare(start);
  seed_slow_pods(start);
  const auto sequence = writes_of(command, start);
  const int writes = static_cast<int>(sequence.size());
  REQUIRE(writes > 0);
  int covered = 0;
  for (int write = 1; write <= writes; ++write) {
    CAPTURE(write);
    INFO("killed right after: ", sequence[static_cast<size_t>(write - 1)]);
    for (int attempt = 1; attempt <= kAttempts; ++attempt) {
      ClusterCli cluster(CopyOf{start});
      const int before = cluster.server.write_count();  // start's own, by `prepare`
      // The spy knows cxtm-o11y's pid: it starts kubectl proxy before its first request.
      const KubectlSpy spy(test_kubectl());
      cluster.server.on_write([&](int number, const std::string&, const std::string&) {
        if (number - before == write) kill_and_wait(spy.caller());
      });
      const auto killed = cluster.run(command, spy.path());
      cluster.server.on_write(nullptr);
      INFO(killed.out, killed.err);
      const int written = cluster.server.write_count() - before;
      const bool ended_before = killed.exit_code == 0 && written < write;
      if (ended_before && attempt < kAttempts) continue;
      CHECK(killed.exit_code == kKilled);
      CHECK(written >= write);
      if (killed.exit_code == kKilled && written >= write) ++covered;
      recover(cluster, seeded);
      break;
    }
  }
  MESSAGE(name << ": " << covered << " of " << writes
               << " kill points covered (after each of: " << joined(sequence) << ")");
  log_reliability("kill_points", covered);
  CHECK(covered == writes);
}

}  // namespace

TEST_SUITE("integration/crash") {
  TEST_CASE("instrument killed after any write: the rerun converges, rollback restores") {
    run_kill_matrix(
        "instrument", fast({"instrument", "scheduler"}), [](const ClusterCli&) {},
        [](ClusterCli& cluster, const Json& seeded) {
          const auto rerun = cluster.run(fast({"instrument", "scheduler"}));
          INFO(rerun.out, rerun.err);
          REQUIRE(rerun.exit_code == 0);
          check_converged(cluster.deployment(kDeployment));
          check_original_backups(cluster, seeded);
          check_rollback_restores(cluster, seeded);
        });
  }

  TEST_CASE("rollback killed after any write: the rerun restores the original exactly") {
    const auto instrument = [](const ClusterCli& cluster) {
      const auto result = cluster.run(fast({"instrument", "scheduler"}));
      INFO(result.out, result.err);
      REQUIRE(result.exit_code == 0);
    };
    run_kill_matrix("rollback", fast({"rollback", "scheduler"}), instrument,
                    [](ClusterCli& cluster, const Json& seeded) {
                      check_original_backups(cluster, seeded);
                      check_rollback_restores(cluster, seeded);
                    });
  }

  TEST_CASE("SIGTERM during a rollout wait stops it as Ctrl-C does: 130, the state, the way out") {
    ClusterCli cluster;
    const Json seeded = cluster.seed(kShape, kDeployment);

    SUBCASE("instrument's wait: left instrumented, backed up, rollback named") {
      // The new pods never turn ready: the wait goes on until the signal.
      cluster.server.set_pod_behaviour(kDeployment, PodBehaviour::ready_after(1000000));
      bool signalled = false;
      const auto result = run_terminated(
          cluster, fast({"instrument", "scheduler"}),
          // The backup ConfigMap and the Deployment are written: it waits now.
          [&] { return cluster.server.write_count() == 2; }, signalled);
      INFO(result.out, result.err);
      REQUIRE(signalled);
      CHECK(result.exit_code == 130);
      const auto errors = lines_starting(result.err, "cxtm-o11y: error: ");
      REQUIRE(errors.size() == 1);
      CHECK(errors[0] ==
            "cxtm-o11y: error: scheduler (default/cxtm-scheduler): interrupted while waiting for "
            "Deployment default/cxtm-scheduler; it stays instrumented, the original backed up "
            "(wait again: cxtm-o11y instrument scheduler; look: cxtm-o11y status scheduler; "
            "undo: cxtm-o11y rollback scheduler)");
      CHECK(cluster.server.write_count() == 2);
      check_converged(cluster.deployment(kDeployment));
      check_original_backups(cluster, seeded);

      // Both ways out the message leaves: instrument again finds it done, rollback undoes it.
      cluster.server.set_pod_behaviour(kDeployment, PodBehaviour::ready());
      const auto again = cluster.run(fast({"instrument", "scheduler"}));
      INFO(again.out, again.err);
      CHECK(again.exit_code == 0);
      CHECK(again.out.find("already instrumented") != std::string::npos);
      check_rollback_restores(cluster, seeded);
    }
    SUBCASE("rollback's wait: the rollback written, the way to follow it named") {
      REQUIRE(cluster.run(fast({"instrument", "scheduler"})).exit_code == 0);
      const int writes = cluster.server.write_count();
      cluster.server.set_pod_behaviour(kDeployment, PodBehaviour::ready_after(1000000));
      bool signalled = false;
      const auto result = run_terminated(
          cluster, fast({"rollback", "scheduler"}),
          [&] { return cluster.server.write_count() == writes + 1; }, signalled);
      INFO(result.out, result.err);
      REQUIRE(signalled);
      CHECK(result.exit_code == 130);
      const auto errors = lines_starting(result.err, "cxtm-o11y: error: ");
      REQUIRE(errors.size() == 1);
      CHECK(errors[0].starts_with(
          "cxtm-o11y: error: scheduler (default/cxtm-scheduler): the tool's change taken out; "
          "interrupted while its pods start"));
      CHECK(errors[0].find("cxtm-o11y status scheduler") != std::string::npos);
      CHECK(cluster.server.write_count() == writes + 1);
      const Json live = cluster.deployment(kDeployment);
      CHECK(same_json(live["spec"]["template"], seeded["spec"]["template"]));
      CHECK_FALSE(carries_our_annotations(live));
      check_original_backups(cluster, seeded);
    }
  }

  TEST_CASE("two instrument runs at once: one wins, never a double injection or a lost original") {
    // The second run starts with the first, or once the first has written its backup
    // ConfigMap, or its Deployment too: the rounds go through the interleavings.
    const std::array<int, 3> second_after_writes = {0, 1, 2};
    // How the runs that did not win ended.
    int conflicts = 0;
    int found_done_count = 0;
    for (int round = 0; round < static_cast<int>(second_after_writes.size()); ++round) {
      const int after_writes = second_after_writes[static_cast<size_t>(round)];
      CAPTURE(round);
      CAPTURE(after_writes);
      ClusterCli cluster;
      const Json seeded = cluster.seed(kShape, kDeployment);
      std::array<ProcessResult, 2> results;
      {
        std::thread first([&] { results[0] = cluster.run(fast({"instrument", "scheduler"})); });
        wait_until([&] { return cluster.server.write_count() >= after_writes; });
        std::thread second([&] { results[1] = cluster.run(fast({"instrument", "scheduler"})); });
        first.join();
        second.join();
      }
      int winners = 0;
      for (const ProcessResult& result : results) {
        INFO(result.exit_code, result.out, result.err);
        const bool won = result.exit_code == 0 &&
                         result.out.find("scheduler (default/cxtm-scheduler): instrumented") !=
                             std::string::npos;
        const bool found_done =
            result.exit_code == 0 && result.out.find("already instrumented") != std::string::npos;
        // The loser's replace carries the resourceVersion it read: the server refuses it, and
        // reading again shows the winner's change.
        const bool conflict =
            result.exit_code == 6 && lines_starting(result.err, "cxtm-o11y: error: ").size() == 1 &&
            result.err.find("was changed by someone else since it was read") != std::string::npos;
        CHECK((won || found_done || conflict));
        winners += won ? 1 : 0;
        conflicts += conflict ? 1 : 0;
        found_done_count += found_done ? 1 : 0;
      }
      CHECK(winners == 1);
      check_converged(cluster.deployment(kDeployment));
      check_original_backups(cluster, seeded);
      check_rollback_restores(cluster, seeded);
    }
    MESSAGE(second_after_writes.size()
            << " rounds; the other run reported a conflict " << conflicts
            << " times, found it instrumented " << found_done_count << " times");
  }
}

}  // namespace test_integration_crash
