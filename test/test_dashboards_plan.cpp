#include <doctest/doctest.h>

#include "dashboards/plan.h"

namespace test_dashboards_plan {

using namespace cxtm;
using namespace cxtm::dashboards;
using cxtm::splunk::ObjectType;

namespace {

// A group and one dashboard with one chart, the smallest plan with references.
std::vector<DesiredObject> small_plan() {
  DesiredObject group{.type = ObjectType::dashboard_group,
                      .key = "group",
                      .name = "CXTM c",
                      .body = {{"name", "CXTM c"}, {"description", "Kept by cxtm-o11y"}}};
  DesiredObject chart{.type = ObjectType::chart,
                      .key = "s/chart/0",
                      .service = "s",
                      .name = "Requests",
                      .body = {{"name", "Requests"},
                               {"programText", "data('x').publish()"},
                               {"options", {{"type", "TimeSeriesChart"}}}}};
  DesiredObject dashboard{.type = ObjectType::dashboard,
                          .key = "s/dashboard",
                          .service = "s",
                          .name = "s",
                          .body = {{"name", "s"},
                                   {"groupId", nullptr},
                                   {"charts", {{{"chartId", nullptr}, {"row", 0}, {"column", 0}}}}},
                          .references = {{Json::json_pointer("/groupId"), "group"},
                                         {Json::json_pointer("/charts/0/chartId"), "s/chart/0"}}};
  return {group, chart, dashboard};
}

// What Splunk holds after the plan was applied: ids, timestamps, option defaults.
std::map<std::string, ExistingObject> applied() {
  return {{"group",
           {"G1",
            {{"id", "G1"},
             {"name", "CXTM c"},
             {"description", "Kept by cxtm-o11y"},
             {"dashboards", {"D1"}},
             {"lastUpdated", 5}}}},
          {"s/chart/0",
           {"C1",
            {{"id", "C1"},
             {"name", "Requests"},
             {"programText", "data('x').publish()"},
             {"options", {{"type", "TimeSeriesChart"}, {"colorBy", "Dimension"}}},
             {"creator", "U"}}}},
          {"s/dashboard",
           {"D1",
            {{"id", "D1"},
             {"name", "s"},
             {"groupId", "G1"},
             {"charts", {{{"chartId", "C1"}, {"row", 0}, {"column", 0}, {"height", 1}}}},
             {"filters", {{"variables", Json::array()}}}}}}};
}

}  // namespace

TEST_SUITE("dashboards/plan") {
  TEST_CASE("nothing in Splunk: every object is created, references shown as new ids") {
    const auto plan = plan_changes(small_plan(), {});
    REQUIRE(plan.size() == 3);
    for (const auto& planned : plan) CHECK(planned.change == Change::create);
    CHECK(plan[2].diff.find("groupId: (id of new dashboard group \"CXTM c\")") !=
          std::string::npos);
    CHECK(plan[2].diff.find("+++ proposed/dashboard/s") != std::string::npos);
  }

  TEST_CASE("what Splunk adds (ids, timestamps, option defaults, other fields) is no change") {
    const auto plan = plan_changes(small_plan(), applied());
    for (const auto& planned : plan) {
      CAPTURE(planned.desired.key);
      CHECK(planned.change == Change::unchanged);
      CHECK(planned.diff.empty());
    }
    CHECK(plan[1].id == "C1");
  }

  TEST_CASE("a changed program is an update whose diff shows the field, not Splunk's extras") {
    auto existing = applied();
    existing["s/chart/0"].body["programText"] = "data('y').publish()";
    const auto plan = plan_changes(small_plan(), existing);
    CHECK(plan[0].change == Change::unchanged);
    CHECK(plan[1].change == Change::update);
    CHECK(plan[1].diff.find("-programText: data('y').publish()") != std::string::npos);
    CHECK(plan[1].diff.find("+programText: data('x').publish()") != std::string::npos);
    CHECK(plan[1].diff.find("colorBy") == std::string::npos);
    CHECK(plan[2].change == Change::unchanged);
  }

  TEST_CASE("a chart to create makes its dashboard an update") {
    auto existing = applied();
    existing.erase("s/chart/0");
    const auto plan = plan_changes(small_plan(), existing);
    CHECK(plan[1].change == Change::create);
    CHECK(plan[2].change == Change::update);
  }

  TEST_CASE("an update sends Splunk's object with ours over it, without read-only fields") {
    auto existing = applied();
    existing["s/dashboard"].body["name"] = "renamed by hand";
    const auto plan = plan_changes(small_plan(), existing);
    REQUIRE(plan[2].change == Change::update);
    const Json body = body_to_send(plan[2], {{"group", "G1"}, {"s/chart/0", "C1"}});
    CHECK(body["name"] == "s");
    CHECK(body["filters"] == Json{{"variables", Json::array()}});
    CHECK(body["charts"][0]["chartId"] == "C1");
    CHECK_FALSE(body.contains("id"));
    CHECK(body_to_send(plan_changes(small_plan(), {})[2], {{"group", "G9"}})["groupId"] == "G9");
  }

  TEST_CASE("placements in another order are the same dashboard") {
    auto desired = small_plan();
    desired[2].body["charts"].push_back({{"chartId", nullptr}, {"row", 0}, {"column", 4}});
    desired[2].references.push_back({Json::json_pointer("/charts/1/chartId"), "s/chart/0"});
    auto existing = applied();
    existing["s/dashboard"].body["charts"] =
        Json::array({{{"chartId", "C1"}, {"row", 0}, {"column", 4}},
                     {{"chartId", "C1"}, {"row", 0}, {"column", 0}}});
    CHECK(plan_changes(desired, existing)[2].change == Change::unchanged);
  }
}

}  // namespace test_dashboards_plan
