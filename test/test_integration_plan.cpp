// CI drift gates end to end: --detailed-exitcode on every --dry-run (instrument, rollback,
// collector deploy, dashboards apply) in both states, and `plan` over a cluster and a Splunk
// double: 0 nothing to do, 2 changes pending, 1 any error.

#include <doctest/doctest.h>

#include <map>
#include <string>

#include "core/json.h"
#include "fixtures/fake_splunk_api.h"
#include "support/cli_runner.h"
#include "support/cluster_cli.h"
#include "support/splunk_cli.h"

namespace test_integration_plan {

using cxtm::Json;
using cxtm::testing::ClusterCli;
using cxtm::testing::FakeSplunkApi;
using cxtm::testing::fast;
using cxtm::testing::kErrorPrefix;
using cxtm::testing::kSplunkTestToken;
using cxtm::testing::line_count;

namespace {

constexpr const char* kAccessToken = "fake-ingest-token-for-plan";

std::vector<std::string> gate(std::vector<std::string> arguments) {
  arguments.push_back("--dry-run");
  arguments.push_back("--detailed-exitcode");
  return arguments;
}

// A cluster and the Splunk API double the tool reaches through $CXTM_O11Y_SPLUNK_API_URL.
struct World {
  ClusterCli cluster;
  FakeSplunkApi splunk{kSplunkTestToken};

  std::map<std::string, std::string> env(bool api_token = true) const {
    return {{"SPLUNK_ACCESS_TOKEN", kAccessToken},
            {"SPLUNK_API_TOKEN", api_token ? kSplunkTestToken : ""},
            {"CXTM_O11Y_SPLUNK_API_URL", splunk.url()}};
  }
  cxtm::kube::ProcessResult run(const std::vector<std::string>& arguments,
                                bool api_token = true) const {
    return cluster.run(arguments, "", env(api_token));
  }
};

}  // namespace

TEST_SUITE("integration/plan") {
  TEST_CASE("instrument and rollback --dry-run --detailed-exitcode: 2 pending, 0 done, 1 error") {
    ClusterCli cluster;
    cluster.seed("minimal", "cxtm-scheduler");
    cluster.seed("otel-conflicting", "cxtm-notifications");
    const int writes = cluster.server.write_count();

    CHECK(cluster.run(gate({"instrument", "scheduler"})).exit_code == 2);
    CHECK(cluster.run(gate({"rollback", "scheduler"})).exit_code == 0);
    // A conflict that needs --force is an error, not a pending change.
    const auto conflict = cluster.run(gate({"instrument", "notifications"}));
    CHECK(conflict.exit_code == 1);
    const auto as_json = cluster.run(gate({"instrument", "scheduler", "-o", "json"}));
    CHECK(as_json.exit_code == 2);
    const Json plan = Json::parse(as_json.out);
    CHECK(plan["changesPending"] == true);
    CHECK(plan["services"][0]["outcome"] == "would_change");
    CHECK(!plan["services"][0]["patch"].empty());
    CHECK(cluster.server.write_count() == writes);

    REQUIRE(cluster.run(fast({"instrument", "scheduler"})).exit_code == 0);
    CHECK(cluster.run(gate({"instrument", "scheduler"})).exit_code == 0);
    CHECK(cluster.run(gate({"rollback", "scheduler"})).exit_code == 2);
    const auto done = cluster.run(gate({"instrument", "scheduler", "-o", "json"}));
    CHECK(Json::parse(done.out)["changesPending"] == false);
  }

  TEST_CASE("--detailed-exitcode maps usage errors to 1 and needs --dry-run") {
    ClusterCli cluster;
    cluster.seed("minimal", "cxtm-scheduler");
    const int writes = cluster.server.write_count();
    const auto no_dry_run = cluster.run({"instrument", "scheduler", "--detailed-exitcode"});
    CHECK(no_dry_run.exit_code == 1);
    CHECK(line_count(no_dry_run.err) == 1);
    CHECK(no_dry_run.err.starts_with(kErrorPrefix + "--detailed-exitcode reports a plan"));
    CHECK(cluster.run(gate({"instrument", "no-such-service"})).exit_code == 1);
    CHECK(cluster.run(gate({"instrument", "scheduler", "--no-such-flag"})).exit_code == 1);
    // Without it, the same usage error keeps its own code.
    CHECK(cluster.run({"instrument", "no-such-service", "--dry-run"}).exit_code == 2);
    CHECK(cluster.server.write_count() == writes);
  }

  TEST_CASE(
      "collector deploy and dashboards apply --dry-run --detailed-exitcode, before and "
      "after") {
    World world;
    CHECK(world.run(gate({"collector", "deploy"})).exit_code == 2);
    CHECK(world.run(gate({"dashboards", "apply"})).exit_code == 2);
    const auto deploy =
        world.run({"collector", "deploy", "--timeout", "20s", "--poll-interval", "50ms"});
    INFO(deploy.err);
    REQUIRE(deploy.exit_code == 0);
    REQUIRE(world.run({"dashboards", "apply"}).exit_code == 0);
    CHECK(world.run(gate({"collector", "deploy"})).exit_code == 0);
    const auto dashboards = world.run(gate({"dashboards", "apply", "-o", "json"}));
    CHECK(dashboards.exit_code == 0);
    CHECK(Json::parse(dashboards.out)["changesPending"] == false);
    const auto collector = world.run(gate({"collector", "deploy", "-o", "json"}));
    CHECK(Json::parse(collector.out)["changesPending"] == false);
    // Splunk refusing the token is an error.
    world.splunk.forbid();
    CHECK(world.run(gate({"dashboards", "apply"})).exit_code == 1);
  }

  TEST_CASE("plan: one summary of every part, pending until all are applied, then nothing") {
    World world;
    world.cluster.seed("minimal", "cxtm-scheduler");
    world.cluster.seed("env-secrets-downward", "cxtm-notifications");
    const int writes = world.cluster.server.write_count();

    const auto before = world.run({"plan", "--detailed-exitcode"});
    INFO(before.out, before.err);
    CHECK(before.exit_code == 2);
    CHECK(before.out.find("collector    pending") != std::string::npos);
    CHECK(before.out.find("services     pending  2 to instrument: scheduler, notifications") !=
          std::string::npos);
    CHECK(before.out.find("dashboards   pending") != std::string::npos);
    CHECK(before.out.find("plan: changes pending") != std::string::npos);
    CHECK(world.cluster.server.write_count() == writes);
    CHECK(world.splunk.objects()["dashboardgroup"].empty());

    const auto as_json = world.run({"plan", "-o", "json"});
    CHECK(as_json.exit_code == 0);  // without --detailed-exitcode: ok
    const Json report = Json::parse(as_json.out);
    CHECK(report["changesPending"] == true);
    CHECK(report["parts"].size() == 3);
    CHECK(report["collector"]["objects"].size() > 0);
    CHECK(report["services"].size() == 2);
    CHECK(report["dashboards"]["objects"].size() > 0);

    REQUIRE(world.run({"collector", "deploy", "--timeout", "20s", "--poll-interval", "50ms"})
                .exit_code == 0);
    REQUIRE(world.run(fast({"instrument", "--all"})).exit_code == 0);
    REQUIRE(world.run({"dashboards", "apply"}).exit_code == 0);
    const auto after = world.run({"plan", "--detailed-exitcode"});
    INFO(after.out, after.err);
    CHECK(after.exit_code == 0);
    CHECK(after.out.find("plan: nothing to do") != std::string::npos);

    // No API token: the dashboards part is skipped, the rest still planned.
    const auto skipped = world.run({"plan", "--detailed-exitcode"}, /*api_token=*/false);
    CHECK(skipped.exit_code == 0);
    CHECK(skipped.out.find("dashboards   -        skipped: no $SPLUNK_API_TOKEN") !=
          std::string::npos);

    // A part that fails makes the plan an error; the others are still shown.
    world.cluster.kubectl({"delete", "deployment", "cxtm-notifications"});
    const auto broken = world.run({"plan", "--detailed-exitcode"});
    CHECK(broken.exit_code == 1);
    CHECK(broken.out.find("services     error") != std::string::npos);
    CHECK(broken.out.find("collector    none") != std::string::npos);
  }
}

}  // namespace test_integration_plan
