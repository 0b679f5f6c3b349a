// The Splunk double's events and muting rules behave as Splunk documents them: ids and times
// set by the server, required fields, 400 bodies, no deleting a rule that is over.
#include <doctest/doctest.h>

#include "fixtures/splunk_change_store.h"

namespace test_fixtures_splunk_change_store {

using cxtm::Json;
using cxtm::testing::SplunkChangeStore;

namespace {

constexpr long long kNow = 1800000000000;

std::string message(const cxtm::testing::SplunkAnswer& answer) {
  return answer.body.is_object() ? answer.body.value("message", "") : "";
}

}  // namespace

TEST_SUITE("fixtures/splunk change store") {
  TEST_CASE("events: an array, each with an eventType, and a bad one refuses the whole post") {
    SplunkChangeStore store;
    CHECK(
        store.post_events(R"([{"eventType": "x", "dimensions": {"service": "a"}}])", kNow).status ==
        200);
    REQUIRE(store.events().size() == 1);
    CHECK(store.events()[0]["timestamp"] == kNow);
    CHECK(store.events()[0]["category"] == "USER_DEFINED");
    for (const char* bad :
         {R"({"eventType": "x"})", R"([{"dimensions": {}}])", R"([{"eventType": "x",
         "category": "DEPLOY"}])",
          R"([{"eventType": "x", "dimensions": {"k8s.cluster": "c"}}])",
          R"([{"eventType": "x", "dimensions": {"service": 3}}])",
          R"([{"eventType": "ok"}, {"eventType": ""}])"}) {
      CAPTURE(bad);
      const auto answer = store.post_events(bad, kNow);
      CHECK(answer.status == 400);
      CHECK(answer.body["code"] == 400);
      CHECK_FALSE(message(answer).empty());
    }
    CHECK(store.events().size() == 1);
  }

  TEST_CASE("muting rules: filters required, the id and a start in the past set by the server") {
    SplunkChangeStore store;
    CHECK(store.create_muting(R"({"startTime": 1, "stopTime": 2})", kNow).status == 400);
    const auto created = store.create_muting(
        R"({"filters": [{"property": "sf_detectorId", "propertyValue": "D1"}],
            "startTime": 1700000000000, "stopTime": 1800000600000})",
        kNow);
    REQUIRE(created.status == 200);
    const std::string id = created.body["id"];
    CHECK_FALSE(id.empty());
    CHECK(created.body["startTime"] == kNow);  // moved to now
    CHECK(store.get_muting(id).status == 200);
    CHECK(store.get_muting("NOPE").status == 404);
    const auto backwards = store.create_muting(
        R"({"filters": [{"property": "p", "propertyValue": "v"}], "startTime": 1800000900000,
            "stopTime": 1800000800000})",
        kNow);
    CHECK(backwards.status == 400);
  }

  TEST_CASE("a rule in effect can be deleted, one that is over cannot") {
    SplunkChangeStore store;
    const auto rule = store.create_muting(
        R"({"filters": [{"property": "sf_detectorId", "propertyValue": "D1"}],
            "startTime": 1800000000000, "stopTime": 1800000600000})",
        kNow);
    const std::string id = rule.body["id"];
    const auto over = store.delete_muting(id, kNow + 600000);
    CHECK(over.status == 400);
    CHECK(message(over) == "Cannot delete alert muting in the past");
    CHECK(store.delete_muting(id, kNow + 1000).status == 204);
    CHECK(store.muting_rules().empty());
    CHECK(store.muting_history().size() == 1);
    CHECK(store.delete_muting(id, kNow + 1000).status == 404);
  }
}

}  // namespace test_fixtures_splunk_change_store
