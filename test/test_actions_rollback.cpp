// The rollback action against an in-memory cluster (support/fake_kube_client.h). Through
// kubectl and the API server double: test_integration_rollback.cpp.
#include <doctest/doctest.h>

#include "actions/instrument.h"
#include "actions/rollback.h"
#include "instrument/owned.h"
#include "support/action_world.h"

namespace test_actions_rollback {

using namespace cxtm;
using cxtm::testing::ActionWorld;
using cxtm::testing::KubeCall;

TEST_SUITE("actions/rollback") {
  TEST_CASE("rollback takes the tool's change out and leaves the pod template as it was") {
    ActionWorld world;
    const Json original = world.deployment("cxtm-notifications");
    const auto services = world.services({"notifications"});
    const auto instrumented = actions::instrument_services(world.context(), world.stores(),
                                                           services, {.change = {.wait = false}});
    REQUIRE(instrumented.at(0).code == ExitCode::ok);
    const auto results = actions::rollback_services(world.context(), world.stores(), services,
                                                    {.change = {.wait = false}});
    REQUIRE(results.size() == 1);
    CHECK_MESSAGE(results[0].outcome == actions::ServiceOutcome::rolled_back, results[0].message);
    const Json now = world.deployment("cxtm-notifications");
    CHECK_FALSE(instrument::instrumented_by_us(now));
    CHECK(now["spec"]["template"] == original["spec"]["template"]);
  }

  TEST_CASE("a service the tool never instrumented is left alone, nothing written") {
    ActionWorld world;
    const auto results =
        actions::rollback_services(world.context(), world.stores(),
                                   world.services({"notifications"}), {.change = {.wait = false}});
    REQUIRE(results.size() == 1);
    CHECK(results[0].outcome == actions::ServiceOutcome::unchanged);
    CHECK(world.kube.calls(KubeCall::replace) == 0);
  }
}

}  // namespace test_actions_rollback
