// Which object a create whose answer was lost made (dashboards/read_back.h): the pure choice.
#include <doctest/doctest.h>

#include "dashboards/read_back.h"

namespace test_dashboards_read_back {

using namespace cxtm;
using namespace cxtm::dashboards;

namespace {

const Json kSent = {{"name", "Requests"},
                    {"programText", "filter('sf_service', 'cxtm-scheduler')"},
                    {"options", {{"type", "TimeSeriesChart"}}}};

// The chart as Splunk holds it after the create: id, timestamps, option defaults added.
Json stored(const std::string& id, long long created, Json body = kSent) {
  body["id"] = id;
  body["created"] = created;
  body["options"]["stacked"] = false;
  return body;
}

}  // namespace

TEST_SUITE("dashboards/read_back") {
  TEST_CASE("the object holding every field sent is the one created, extra fields and all") {
    const auto found = pick_created({stored("C1", 10)}, "Requests", kSent, {});
    REQUIRE(found);
    CHECK(found->id == "C1");
    CHECK(found->body["options"]["stacked"] == false);
  }

  TEST_CASE("nothing of that exact name holding what was sent: it did not land") {
    Json other_service = stored("C2", 10);
    other_service["programText"] = "filter('sf_service', 'cxtm-notifications')";
    Json longer_name = stored("C3", 11);
    longer_name["name"] = "Requests (old)";
    CHECK_FALSE(pick_created({other_service, longer_name}, "Requests", kSent, {}));
    CHECK_FALSE(pick_created({}, "Requests", kSent, {}));
  }

  TEST_CASE("objects the run already knows are not taken for the new one") {
    CHECK_FALSE(pick_created({stored("C1", 10)}, "Requests", kSent, {"C1"}));
    const auto found =
        pick_created({stored("C1", 10), stored("C4", 12)}, "Requests", kSent, {"C1"});
    REQUIRE(found);
    CHECK(found->id == "C4");
  }

  TEST_CASE("of two that fit (one left by an earlier run), the newest") {
    const auto found = pick_created({stored("C9", 30), stored("C5", 20)}, "Requests", kSent, {});
    REQUIRE(found);
    CHECK(found->id == "C9");
  }

  TEST_CASE("an answer without an id is no candidate") {
    Json no_id = stored("C1", 10);
    no_id.erase("id");
    CHECK_FALSE(pick_created({no_id}, "Requests", kSent, {}));
  }
}

}  // namespace test_dashboards_read_back
