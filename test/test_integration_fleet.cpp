// A fleet of services through the binary and the real kubectl (issue 17): one LIST of the
// Deployments instead of a GET each, the rollouts followed by watches shared by every service,
// the wave's backups and Deployment writes each in one kubectl run, readable progress and one
// summary line. bench/bench_fleet.cpp measures the same engine's speed.
#include <doctest/doctest.h>

#include <map>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "core/json.h"
#include "instrument/owned.h"
#include "support/cluster_cli.h"
#include "support/kubectl_runner.h"
#include "support/kubectl_spy.h"
#include "support/text.h"

namespace test_integration_fleet {

using cxtm::Json;
using cxtm::instrument::instrumented_by_us;
using cxtm::testing::ClusterCli;
using cxtm::testing::contains;
using cxtm::testing::corpus_deployment;
using cxtm::testing::fast;
using cxtm::testing::KubectlSpy;
using cxtm::testing::lines_starting;
using cxtm::testing::test_kubectl;

namespace {

constexpr int kFleet = 12;

std::string service(int i) {
  return "svc-" + std::to_string(i);
}

// The minimal shape, named and labelled as its own app so that no two select each other's pods.
Json fleet_deployment(const std::string& name) {
  Json deployment = corpus_deployment("minimal");
  deployment.erase("status");
  Json& metadata = deployment["metadata"];
  for (const char* key : {"managedFields", "resourceVersion", "uid", "creationTimestamp",
                          "generation", "annotations"}) {
    metadata.erase(key);
  }
  metadata["name"] = name;
  metadata["namespace"] = "default";
  const Json labels = {{"app", name}};
  metadata["labels"] = labels;
  deployment["spec"]["selector"] = {{"matchLabels", labels}};
  deployment["spec"]["template"]["metadata"]["labels"] = labels;
  // The double runs a simulated second in 10 ms: the default 600 s deadline would be 6 s of a
  // loaded machine for a dozen rollouts at once.
  deployment["spec"]["progressDeadlineSeconds"] = 60000;
  return deployment;
}

struct Fleet {
  ClusterCli cluster;
  std::vector<std::string> names;

  Fleet() : cluster(services_yaml()) {
    for (int i = 1; i <= kFleet; ++i) {
      cluster.server.put_object(fleet_deployment("cxtm-" + service(i)));
      names.push_back(service(i));
    }
    for (int i = 1; i <= kFleet; ++i) {
      REQUIRE(cluster.server.await_rollout("/apis/apps/v1/namespaces/default/deployments/cxtm-" +
                                           service(i)));
    }
  }

  static std::string services_yaml() {
    std::string yaml;
    for (int i = 1; i <= kFleet; ++i) {
      yaml += "  " + service(i) + ":\n    deployment: cxtm-" + service(i) + "\n";
    }
    return yaml;
  }

  // fast()'s flags, but 60 s for the wave: twelve rollouts at once took longer than 20 s under
  // the sanitizers beside the fuzzers on 2 cores (an old pod still terminating at the deadline).
  std::vector<std::string> command(const std::string& verb) const {
    std::vector<std::string> arguments = {verb};
    arguments.insert(arguments.end(), names.begin(), names.end());
    return fast(arguments, "60s");
  }

  // The requests since `from` whose method and path match.
  int count(size_t from, const std::string& method, const std::string& path_regex) const {
    const auto requests = cluster.server.requests();
    const std::regex path(path_regex);
    int found = 0;
    for (size_t i = from; i < requests.size(); ++i) {
      if (requests[i].method == method && std::regex_search(requests[i].path, path)) ++found;
    }
    return found;
  }

  // GETs of a service's Deployment made before that service's write: the reads the bulk LIST
  // replaces. (After its own write the tool reads from the watch cache once it holds the new
  // generation, and with a GET when the cache lags more than 2 s, as on a loaded machine: that
  // fallback is the engine working as designed, so it is not counted.)
  int reads_before_write(size_t from) const {
    const auto requests = cluster.server.requests();
    std::map<std::string, bool> written;
    int reads = 0;
    for (size_t i = from; i < requests.size(); ++i) {
      const auto& request = requests[i];
      const auto at = request.path.find("/deployments/cxtm-svc-");
      if (at == std::string::npos) continue;
      const std::string name = request.path.substr(at + std::string("/deployments/").size());
      if (request.method == "PUT") written[name] = true;
      if (request.method == "GET" && !written[name]) ++reads;
    }
    return reads;
  }

  int watches(size_t from, const std::string& collection) const {
    const auto requests = cluster.server.requests();
    int found = 0;
    for (size_t i = from; i < requests.size(); ++i) {
      if (requests[i].path.ends_with(collection) && contains(requests[i].query, "watch=1")) {
        ++found;
      }
    }
    return found;
  }
};

}  // namespace

TEST_SUITE("integration/fleet") {
  TEST_CASE("a fleet is read in one list, followed by shared watches, no kubectl run per request") {
    Fleet fleet;
    const KubectlSpy spy(test_kubectl());
    const size_t from = fleet.cluster.server.requests().size();
    const auto result = fleet.cluster.run(fleet.command("instrument"), spy.path());
    INFO(result.out, result.err);
    CHECK(result.exit_code == 0);
    for (int i = 1; i <= kFleet; ++i) {
      CHECK(instrumented_by_us(fleet.cluster.deployment("cxtm-" + service(i))));
    }
    // No Deployment read by itself: one LIST, then the cache the watches keep.
    CHECK(fleet.reads_before_write(from) == 0);
    CHECK(fleet.count(from, "GET", "/namespaces/default/deployments$") >= 1);
    CHECK(fleet.watches(from, "/deployments") >= 1);
    CHECK(fleet.watches(from, "/pods") >= 1);
    // Every write made, each once: a backup and a Deployment per service.
    CHECK(fleet.count(from, "PUT", "/deployments/cxtm-svc-") == kFleet);
    CHECK(fleet.count(from, "PATCH", "/configmaps/cxtm-o11y-backup-cxtm-svc-") == kFleet);
    // Every request through the one kubectl proxy: no other kubectl run.
    CHECK(spy.calls() == 0);
    // stdout: a line per service, in the order given; stderr: one summary line.
    const auto lines = lines_starting(result.out, "svc-");
    REQUIRE(lines.size() == static_cast<size_t>(kFleet));
    CHECK(lines.front().starts_with("svc-1 (default/cxtm-svc-1): instrumented"));
    CHECK(contains(result.err, "12 instrumented (12 services in "));
    // Progress, not on a terminal: each state of each service once, not a line per look.
    std::map<std::string, std::string> last;
    for (const auto& line : lines_starting(result.err, "Deployment/")) {
      const std::string subject = line.substr(0, line.find(": "));
      const std::string state = line.substr(0, line.rfind(" ("));
      CAPTURE(line);
      CHECK(last[subject] != state);
      last[subject] = state;
    }
    CHECK(last.size() == static_cast<size_t>(kFleet));

    const size_t before_rollback = fleet.cluster.server.requests().size();
    spy.reset();
    const auto rollback = fleet.cluster.run(fleet.command("rollback"), spy.path());
    INFO(rollback.out, rollback.err);
    CHECK(rollback.exit_code == 0);
    CHECK(fleet.reads_before_write(before_rollback) == 0);
    CHECK(fleet.count(before_rollback, "PUT", "/deployments/cxtm-svc-") == kFleet);
    CHECK(spy.calls() == 0);
    CHECK(contains(rollback.err, "12 rolled back (12 services in "));
    for (int i = 1; i <= kFleet; ++i) {
      CHECK_FALSE(instrumented_by_us(fleet.cluster.deployment("cxtm-" + service(i))));
    }
  }

  TEST_CASE("status of a fleet reads its Deployments, pods and backups in one go each") {
    Fleet fleet;
    const auto instrument = fleet.cluster.run(fleet.command("instrument"));
    INFO(instrument.out, instrument.err);
    REQUIRE(instrument.exit_code == 0);
    const size_t from = fleet.cluster.server.requests().size();
    std::vector<std::string> arguments = {"status"};
    arguments.insert(arguments.end(), fleet.names.begin(), fleet.names.end());
    const auto status = fleet.cluster.run(arguments);
    INFO(status.out, status.err);
    CHECK(status.exit_code == 0);
    CHECK(lines_starting(status.out, "svc-").size() == static_cast<size_t>(kFleet));
    CHECK(fleet.count(from, "GET", "/deployments/cxtm-svc-") == 0);
    CHECK(fleet.count(from, "GET", "/namespaces/default/pods$") == 1);
    CHECK(fleet.watches(from, "/deployments") == 0);  // nothing to wait for: no watch
  }

  TEST_CASE("a write in a batch that the API server refuses fails that service alone") {
    Fleet fleet;
    fleet.cluster.server.inject({.method = "PUT",
                                 .path_regex = "/deployments/cxtm-svc-3(\\?|$)",
                                 .status = 403,
                                 .times = -1});
    const auto result = fleet.cluster.run(fleet.command("instrument"));
    INFO(result.out, result.err);
    CHECK(result.exit_code == 5);
    const auto errors = lines_starting(result.err, "cxtm-o11y: error: ");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].starts_with("cxtm-o11y: error: svc-3 (default/cxtm-svc-3): "));
    CHECK(contains(errors[0], "(Forbidden)"));
    for (int i = 1; i <= kFleet; ++i) {
      CAPTURE(i);
      CHECK(instrumented_by_us(fleet.cluster.deployment("cxtm-" + service(i))) == (i != 3));
    }
    CHECK(contains(result.err, "11 instrumented, 1 failed (12 services in "));
  }
}

}  // namespace test_integration_fleet
