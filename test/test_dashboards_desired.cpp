#include <doctest/doctest.h>

#include <regex>
#include <set>

#include "actions/services.h"
#include "config/config.h"
#include "dashboards/desired.h"
#include "dashboards/existing.h"

using namespace cxtm;
using namespace cxtm::dashboards;

namespace {

config::Config poc(const std::string& extra = "") {
  return config::parse_config(R"(cluster: cxtm-poc
environment: cxtm-poc
splunk:
  realm: us1
)" + extra + R"(
services:
  scheduler:
    deployment: cxtm-scheduler
  notifications:
    deployment: cxtm-notifications
)",
                              "test.yaml");
}

std::vector<DesiredObject> for_all(const config::Config& config) {
  return desired_objects(config, actions::select_services(config, {}, true));
}

const DesiredObject& by_key(const std::vector<DesiredObject>& objects, const std::string& key) {
  for (const auto& object : objects) {
    if (object.key == key) return object;
  }
  FAIL("no object " << key);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_SUITE("dashboards/desired") {
  TEST_CASE("the group, then per service three charts, a dashboard and a detector") {
    const auto objects = for_all(poc());
    REQUIRE(objects.size() == 11);
    CHECK(objects[0].type == ObjectType::dashboard_group);
    CHECK(objects[0].name == "CXTM cxtm-poc");
    CHECK(objects[0].body["description"].get<std::string>().starts_with(kKeptMarker));
    std::vector<std::string> keys;
    for (const auto& object : objects) keys.push_back(object.key);
    CHECK(keys == std::vector<std::string>{"group", "scheduler/chart/0", "scheduler/chart/1",
                                           "scheduler/chart/2", "scheduler/dashboard",
                                           "scheduler/detector", "notifications/chart/0",
                                           "notifications/chart/1", "notifications/chart/2",
                                           "notifications/dashboard", "notifications/detector"});
  }

  TEST_CASE("a dashboard refers to its group and to its charts, placed three to a row") {
    const auto objects = for_all(poc());
    const auto& dashboard = by_key(objects, "scheduler/dashboard");
    CHECK(dashboard.name == "scheduler");
    REQUIRE(dashboard.references.size() == 4);
    CHECK(dashboard.references[0].key == "group");
    CHECK(dashboard.references[0].field.to_string() == "/groupId");
    CHECK(dashboard.references[3].key == "scheduler/chart/2");
    CHECK(dashboard.references[3].field.to_string() == "/charts/2/chartId");
    const auto& charts = dashboard.body["charts"];
    REQUIRE(charts.size() == 3);
    CHECK(charts[2]["column"] == 8);
    CHECK(charts[2]["width"] == 4);
    CHECK(charts[2]["row"] == 0);
  }

  TEST_CASE("charts and detector read the service's APM name in the config's environment") {
    const auto objects = for_all(poc());
    const std::string program = by_key(objects, "notifications/chart/0").body["programText"];
    CHECK(program.find("filter('sf_service', 'cxtm-notifications')") != std::string::npos);
    CHECK(program.find("filter('sf_environment', 'cxtm-poc')") != std::string::npos);
    const auto& detector = by_key(objects, "notifications/detector");
    CHECK(detector.name == "cxtm-notifications (cxtm-poc): errors and latency");
    CHECK(detector.body["tags"] == Json::array({"cxtm-o11y", "cxtm-o11y-cluster-cxtm-poc"}));
  }

  TEST_CASE("every rule of the detector names a label its program publishes") {
    const auto objects = for_all(poc());
    const auto& detector = by_key(objects, "scheduler/detector");
    const std::string program = detector.body["programText"];
    std::set<std::string> published;
    const std::regex publish(R"(publish\('([^']*)'\))");
    for (std::sregex_iterator it(program.begin(), program.end(), publish), end; it != end; ++it) {
      published.insert((*it)[1]);
    }
    REQUIRE(detector.body["rules"].size() == 2);
    for (const auto& rule : detector.body["rules"]) {
      CHECK(published.contains(rule["detectLabel"].get<std::string>()));
    }
  }

  TEST_CASE("the alert thresholds come from the config's alerts section") {
    const auto defaults = by_key(for_all(poc()), "scheduler/detector");
    CHECK(defaults.body["programText"].get<std::string>().find("* 100 > 5,") != std::string::npos);
    const auto tuned =
        by_key(for_all(poc("alerts:\n  error_rate_percent: 2\n  p99_latency_ms: 750\n")),
               "scheduler/detector");
    const std::string program = tuned.body["programText"];
    CHECK(program.find("* 100 > 2,") != std::string::npos);
    CHECK(program.find("p99_ms > 750,") != std::string::npos);
    CHECK(tuned.body["rules"][1]["description"] == "p99 latency above 750 ms for 10 minutes");
  }

  TEST_CASE("an APM name with a quote stays inside its SignalFlow string") {
    auto config = poc();
    config.services[0].otel_service_name = "evil') or filter('x";
    const std::string program = by_key(for_all(config), "scheduler/chart/0").body["programText"];
    CHECK(program.find(R"(filter('sf_service', 'evil\') or filter(\'x'))") != std::string::npos);
  }

  TEST_CASE("only the services asked for") {
    const auto config = poc();
    const auto objects =
        desired_objects(config, actions::select_services(config, {"notifications"}, false));
    CHECK(objects.size() == 6);
    CHECK(objects.back().key == "notifications/detector");
  }

  TEST_CASE("alerts out of range are config errors naming the field") {
    CHECK_THROWS_WITH(poc("alerts:\n  error_rate_percent: 0\n"),
                      doctest::Contains("alerts.error_rate_percent"));
    CHECK_THROWS_WITH(poc("alerts:\n  p99_latncy_ms: 10\n"), doctest::Contains("p99_latency_ms"));
  }
}
