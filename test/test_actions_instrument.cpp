// The instrument action against an in-memory cluster (support/fake_kube_client.h): what it
// writes, and what it does when a write is refused or loses its answer. The same paths through
// kubectl and the API server double are in test_integration_instrument.cpp.
#include <doctest/doctest.h>

#include "actions/instrument.h"
#include "instrument/owned.h"
#include "support/action_world.h"

namespace test_actions_instrument {

using namespace cxtm;
using cxtm::testing::ActionWorld;
using cxtm::testing::FailureStrikes;
using cxtm::testing::KubeCall;

namespace {

// Without waiting: the fake runs no controller, so no rollout would ever finish.
const actions::InstrumentOptions kNoWait{.change = {.wait = false}};

size_t writes_of(const ActionWorld& world, std::string_view what) {
  size_t count = 0;
  for (const auto& write : world.kube.writes()) count += write.starts_with(what) ? 1 : 0;
  return count;
}

}  // namespace

TEST_SUITE("actions/instrument") {
  TEST_CASE("a dry run shows the pod template's diff and writes nothing") {
    ActionWorld world;
    const Json before = world.deployment("cxtm-notifications");
    const auto results = actions::instrument_services(world.context(), world.stores(),
                                                      world.services({"notifications"}),
                                                      {.change = {.dry_run = true, .wait = false}});
    REQUIRE(results.size() == 1);
    CHECK(results[0].outcome == actions::ServiceOutcome::would_change);
    CHECK(results[0].diff.find("+++ instrumented/default/cxtm-notifications") != std::string::npos);
    CHECK(writes_of(world, "replace") == 0);
    CHECK(world.deployment("cxtm-notifications") == before);
  }

  TEST_CASE("a service is written once, instrumented, with its original backed up first") {
    ActionWorld world;
    const auto results = actions::instrument_services(world.context(), world.stores(),
                                                      world.services({"notifications"}), kNoWait);
    REQUIRE(results.size() == 1);
    CHECK_MESSAGE(results[0].code == ExitCode::ok, results[0].message);
    CHECK(writes_of(world, "replace Deployment default/cxtm-notifications") == 1);
    CHECK(instrument::instrumented_by_us(world.deployment("cxtm-notifications")));
    CHECK(world.stores().local.original("default", "cxtm-notifications").has_value());
  }

  TEST_CASE("an app setting that conflicts with ours refuses the service, writing nothing") {
    ActionWorld world;
    const auto results = actions::instrument_services(world.context(), world.stores(),
                                                      world.services({"scheduler"}), kNoWait);
    REQUIRE(results.size() == 1);
    CHECK(results[0].code == ExitCode::conflict);
    CHECK(results[0].message.find("OTEL_EXPORTER_OTLP_ENDPOINT") != std::string::npos);
    CHECK(writes_of(world, "replace") == 0);
    CHECK_FALSE(instrument::instrumented_by_us(world.deployment("cxtm-scheduler")));
  }

  TEST_CASE("a write whose answer was lost is read back, not sent twice") {
    ActionWorld world;
    world.kube.fail(KubeCall::replace,
                    kube::KubeError(ExitCode::api_error,
                                    "the server was unable to return a "
                                    "response in the time allotted",
                                    kube::FailureKind::unknown),
                    1, FailureStrikes::after);
    const auto results = actions::instrument_services(world.context(), world.stores(),
                                                      world.services({"notifications"}), kNoWait);
    REQUIRE(results.size() == 1);
    CHECK_MESSAGE(results[0].code == ExitCode::ok, results[0].message);
    CHECK(writes_of(world, "replace Deployment default/cxtm-notifications") == 1);
    CHECK(instrument::instrumented_by_us(world.deployment("cxtm-notifications")));
  }

  TEST_CASE("a 409 from a change of status only is read again and written once more") {
    ActionWorld world;
    world.kube.fail(KubeCall::replace,
                    kube::KubeError(ExitCode::conflict,
                                    "Operation cannot be fulfilled on deployments.apps "
                                    "\"cxtm-notifications\": the object has been modified",
                                    kube::FailureKind::refused));
    const auto results = actions::instrument_services(world.context(), world.stores(),
                                                      world.services({"notifications"}), kNoWait);
    REQUIRE(results.size() == 1);
    CHECK_MESSAGE(results[0].code == ExitCode::ok, results[0].message);
    CHECK(writes_of(world, "replace Deployment default/cxtm-notifications") == 2);
    CHECK(instrument::instrumented_by_us(world.deployment("cxtm-notifications")));
  }

  TEST_CASE("a rollout no controller takes up fails at its timeout and the original goes back") {
    // The fake runs no Deployment controller: the new spec is never observed. The five minutes
    // pass on the world's clock, not the machine's.
    ActionWorld world;
    const Json original = world.deployment("cxtm-notifications");
    const auto started = world.time.now();
    const auto results = actions::instrument_services(
        world.context(), world.stores(), world.services({"notifications"}),
        {.change = {.timeout = std::chrono::minutes(5)}});
    REQUIRE(results.size() == 1);
    CHECK(results[0].code == ExitCode::timeout);
    CHECK(world.time.now() - started >= std::chrono::minutes(5));
    const Json now = world.deployment("cxtm-notifications");
    CHECK_FALSE(instrument::instrumented_by_us(now));
    CHECK(now["spec"]["template"] == original["spec"]["template"]);
  }

  TEST_CASE("a refused write fails the service with the API server's reason") {
    ActionWorld world;
    world.kube.fail(
        KubeCall::replace,
        kube::KubeError(ExitCode::forbidden, "deployments.apps \"cxtm-notifications\" is forbidden",
                        kube::FailureKind::refused));
    const auto results = actions::instrument_services(world.context(), world.stores(),
                                                      world.services({"notifications"}), kNoWait);
    REQUIRE(results.size() == 1);
    CHECK(results[0].code == ExitCode::forbidden);
    CHECK(results[0].message.find("forbidden") != std::string::npos);
    CHECK_FALSE(instrument::instrumented_by_us(world.deployment("cxtm-notifications")));
  }
}

}  // namespace test_actions_instrument
