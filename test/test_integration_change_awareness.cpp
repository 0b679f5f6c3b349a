// What Splunk hears of a change (issue 18), through the binary against the Splunk API double:
// an event per change on the ingest API (instrument, rollback, collector deploy), and a muting
// rule on the service's detector for the time of the rollout (alerts.mute_during_change).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/json.h"
#include "instrument/owned.h"
#include "support/text.h"
#include "support/validate_world.h"

namespace test_integration_change_awareness {

using cxtm::Json;
using cxtm::testing::contains;
using cxtm::testing::Fault;
using cxtm::testing::FaultTiming;
using cxtm::testing::kFakeIngestToken;
using cxtm::testing::ValidateWorld;

namespace {

constexpr const char* kDeploymentPath =
    "/apis/apps/v1/namespaces/default/deployments/cxtm-scheduler";

// A cluster whose scheduler is not instrumented yet.
ValidateWorld::Setup uninstrumented() {
  return {.service_instrumented = false};
}

cxtm::kube::ProcessResult run_with_ingest_token(const ValidateWorld& world,
                                                std::vector<std::string> arguments,
                                                const std::string& token = kFakeIngestToken) {
  arguments.insert(arguments.end(), {"--poll-interval", "50ms"});
  return world.run(arguments, {{"SPLUNK_ACCESS_TOKEN", token}});
}

void mute_for_ten_minutes(const ValidateWorld& world) {
  std::string config = world.dir.read("cxtm-o11y.yaml");
  config.replace(config.find("services:"), 9, "alerts:\n  mute_during_change: 10m\nservices:");
  world.dir.write("cxtm-o11y.yaml", config);
}

bool instrumented(const ValidateWorld& world) {
  return cxtm::instrument::instrumented_by_us(world.kube.get(kDeploymentPath).value());
}

}  // namespace

TEST_SUITE("integration/change awareness") {
  TEST_CASE("instrument and rollback post an event per service, with the outcome") {
    ValidateWorld world(uninstrumented());
    const auto instrument =
        run_with_ingest_token(world, {"instrument", "scheduler", "--no-validate"});
    INFO(instrument.out, instrument.err);
    REQUIRE(instrument.exit_code == 0);
    auto events = world.splunk.events();
    REQUIRE(events.size() == 1);
    const Json& event = events[0];
    CHECK(event["eventType"] == "cxtm-o11y change");
    CHECK(event["category"] == "USER_DEFINED");
    CHECK(event["dimensions"] == Json{{"cluster", "cxtm-test"},
                                      {"environment", "cxtm-test"},
                                      {"service", "scheduler"},
                                      {"tool_version", CXTM_VERSION},
                                      {"outcome", "instrumented"}});
    CHECK(event["properties"]["command"] == "instrument");
    CHECK(event["properties"]["exit_code"] == 0);
    CHECK(event["timestamp"].is_number_integer());

    // A dry run and a run with nothing to do change nothing: no event.
    REQUIRE(run_with_ingest_token(world, {"instrument", "scheduler", "--dry-run"}).exit_code == 0);
    REQUIRE(run_with_ingest_token(world, {"instrument", "scheduler", "--no-validate"}).exit_code ==
            0);
    CHECK(world.splunk.events().size() == 1);

    const auto rollback = run_with_ingest_token(world, {"rollback", "scheduler"});
    INFO(rollback.out, rollback.err);
    REQUIRE(rollback.exit_code == 0);
    events = world.splunk.events();
    REQUIRE(events.size() == 2);
    CHECK(events[1]["dimensions"]["outcome"] == "rolled_back");
    CHECK(events[1]["properties"]["command"] == "rollback");
    // The token went in a header only.
    CHECK_FALSE(
        contains(instrument.out + instrument.err + rollback.out + rollback.err, kFakeIngestToken));
  }

  TEST_CASE("collector deploy posts its change, and without the ingest token there is no event") {
    ValidateWorld world(ValidateWorld::Setup{.collector = false});
    const auto deploy = run_with_ingest_token(world, {"collector", "deploy"});
    INFO(deploy.out, deploy.err);
    REQUIRE(deploy.exit_code == 0);
    const auto events = world.splunk.events();
    REQUIRE(events.size() == 1);
    CHECK(events[0]["dimensions"]["service"] == "otel-collector");
    CHECK(events[0]["dimensions"]["outcome"] == "deployed");
    CHECK(events[0]["properties"]["command"] == "collector deploy");
    // Nothing left to change: no event.
    REQUIRE(run_with_ingest_token(world, {"collector", "deploy"}).exit_code == 0);
    CHECK(world.splunk.events().size() == 1);
    ValidateWorld other(uninstrumented());
    const auto quiet =
        other.run({"instrument", "scheduler", "--no-validate"}, {{"SPLUNK_ACCESS_TOKEN", ""}});
    CHECK(quiet.exit_code == 0);
    CHECK(other.splunk.events().empty());
    CHECK_FALSE(contains(quiet.err, "change event"));
  }

  TEST_CASE("an event Splunk refuses, or whose answer is lost, is a line: the change stands") {
    ValidateWorld world(uninstrumented());
    const auto refused = run_with_ingest_token(world, {"instrument", "scheduler", "--no-validate"},
                                               "a-token-splunk-does-not-know");
    INFO(refused.out, refused.err);
    CHECK(refused.exit_code == 0);
    CHECK(contains(refused.err,
                   "change events not confirmed by Splunk: HTTP 401: Unauthorized (Splunk refused "
                   "the access token in $SPLUNK_ACCESS_TOKEN; a collector sending with it is "
                   "refused too)"));
    CHECK(instrumented(world));
    CHECK(world.splunk.events().empty());
    world.splunk.inject(Fault{
        .method = "POST", .path_regex = "/v2/event", .status = 503, .timing = FaultTiming::after});
    const auto lost = run_with_ingest_token(world, {"rollback", "scheduler"});
    INFO(lost.out, lost.err);
    CHECK(lost.exit_code == 0);
    CHECK(contains(lost.err, "change events not confirmed by Splunk: HTTP 503"));
    CHECK_FALSE(contains(lost.err, "refused the access token"));  // a 503 says nothing of it
    CHECK(world.splunk.events().size() == 1);  // it landed: Splunk committed, then failed
  }

  TEST_CASE("mute_during_change: the detector muted while instrument runs, unmuted at its end") {
    ValidateWorld world(uninstrumented());
    mute_for_ten_minutes(world);
    const auto dashboards = world.run({"dashboards", "apply"});
    INFO(dashboards.out, dashboards.err);
    REQUIRE(dashboards.exit_code == 0);
    std::string detector_id;
    const Json objects = world.splunk.objects();
    for (const auto& [id, detector] : objects["detector"].items()) detector_id = id;
    REQUIRE_FALSE(detector_id.empty());

    const auto result = run_with_ingest_token(world, {"instrument", "scheduler", "--no-validate"});
    INFO(result.out, result.err);
    CHECK(result.exit_code == 0);
    const auto history = world.splunk.muting_history();
    REQUIRE(history.size() == 1);
    const Json& rule = history[0];
    CHECK(rule["filters"] == Json::parse(R"([{"property": "sf_detectorId", "propertyValue": ")" +
                                         detector_id + R"(", "NOT": false}])"));
    CHECK(rule["stopTime"].get<long long>() - rule["startTime"].get<long long>() <= 600000);
    CHECK(rule["stopTime"].get<long long>() - rule["startTime"].get<long long>() > 590000);
    CHECK(contains(rule["description"], "cxtm-o11y instrument of scheduler"));
    CHECK(world.splunk.muting_rules().empty());  // removed when the command ended
    CHECK(contains(result.err,
                   "scheduler: detector \"cxtm-scheduler (cxtm-test): errors and "
                   "latency\" muted for at most 10m"));
    CHECK(contains(result.err, "scheduler: detector unmuted"));
    CHECK(instrumented(world));
  }

  TEST_CASE("mute_during_change without an API token: exit 2, nothing changed") {
    ValidateWorld world(uninstrumented());
    mute_for_ten_minutes(world);
    const int writes = world.kube.write_count();
    const auto result =
        world.run({"instrument", "scheduler", "--no-validate"}, {{"SPLUNK_API_TOKEN", ""}});
    CHECK(result.exit_code == 2);
    CHECK(contains(result.err,
                   "alerts.mute_during_change needs a Splunk Observability Cloud API "
                   "token in $SPLUNK_API_TOKEN"));
    CHECK(world.kube.write_count() == writes);
    CHECK_FALSE(instrumented(world));
  }

  TEST_CASE(
      "a muting rule whose answer is lost is said to end by itself, no detector is said too") {
    ValidateWorld world(uninstrumented());
    mute_for_ten_minutes(world);
    const auto no_detector = world.run({"instrument", "scheduler", "--no-validate"});
    INFO(no_detector.out, no_detector.err);
    CHECK(no_detector.exit_code == 0);
    CHECK(contains(no_detector.err, "scheduler: no detector to mute"));
    REQUIRE(world.run({"rollback", "scheduler"}).exit_code == 0);
    REQUIRE(world.run({"dashboards", "apply"}).exit_code == 0);
    world.splunk.inject(Fault{.method = "POST",
                              .path_regex = "/v2/alertmuting",
                              .status = 502,
                              .timing = FaultTiming::after});
    const auto lost = world.run({"instrument", "scheduler", "--no-validate"});
    INFO(lost.out, lost.err);
    CHECK(lost.exit_code == 0);
    CHECK(contains(lost.err, "scheduler: alerts may be muted (HTTP 502"));
    CHECK(contains(lost.err, "ends by itself within 10m"));
    CHECK(world.splunk.muting_rules().size() == 1);  // in place, ending by itself
  }
}

}  // namespace test_integration_change_awareness
