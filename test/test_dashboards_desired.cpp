#include <doctest/doctest.h>

#include <regex>
#include <set>

#include "actions/services.h"
#include "config/config.h"
#include "core/error.h"
#include "dashboards/desired.h"
#include "dashboards/existing.h"

namespace test_dashboards_desired {

using namespace cxtm;
using namespace cxtm::dashboards;
using cxtm::splunk::ObjectType;

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
    REQUIRE(detector.body["rules"].size() == 5);
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
    CHECK(tuned.body["rules"][2]["description"] == "p99 latency above 750 ms for 10 minutes");
  }

  TEST_CASE("five rules (error rate, p90, p99, a drop against last week, no data), each severity") {
    const auto detector = by_key(for_all(poc()), "scheduler/detector");
    const std::string program = detector.body["programText"];
    CHECK(program.find("p90_ms > 1000, lasting='10m'") != std::string::npos);
    CHECK(program.find("service.request.duration.ns.p90") != std::string::npos);
    // The drop compares the last hour's rate with the same hour a week ago.
    CHECK(program.find("hourly = requests.mean(over='1h')") != std::string::npos);
    CHECK(program.find("week_ago = hourly.timeshift('1w')") != std::string::npos);
    CHECK(program.find("hourly < week_ago * 0.50, lasting='15m'") != std::string::npos);
    CHECK(program.find("from signalfx.detectors.not_reporting import not_reporting") == 0);
    CHECK(program.find("not_reporting.detector(stream=requests, resource_identifier=None, "
                       "duration='15m').publish('no data')") != std::string::npos);
    std::vector<std::string> severities;
    for (const auto& rule : detector.body["rules"]) {
      severities.push_back(rule["severity"]);
      CHECK(rule["notifications"] == Json::array());  // no recipients configured
    }
    CHECK(severities == std::vector<std::string>{"Critical", "Minor", "Major", "Warning", "Major"});
    const auto tuned = by_key(for_all(poc("alerts:\n  request_drop: {percent: 80, severity: "
                                          "Critical}\n  no_data: {minutes: 5}\n")),
                              "scheduler/detector");
    const std::string tuned_program = tuned.body["programText"];
    CHECK(tuned_program.find("week_ago * 0.20,") != std::string::npos);
    CHECK(tuned_program.find("duration='5m'") != std::string::npos);
    CHECK(tuned.body["rules"][3]["severity"] == "Critical");
  }

  TEST_CASE(
      "recipients reach every rule as Splunk's notifications, and a service may have its own") {
    const auto config = poc(R"(alerts:
  recipients:
    - email: oncall@cxtm.example.com
    - slack: E1SlackInt
      channel: "#cxtm-alerts"
    - pagerduty: PD_Integr-1
    - webhook: WebHook001
    - team: TeamCxtm01
)");
    const Json expected = Json::parse(R"([
      {"type": "Email", "email": "oncall@cxtm.example.com"},
      {"type": "Slack", "credentialId": "E1SlackInt", "channel": "#cxtm-alerts"},
      {"type": "PagerDuty", "credentialId": "PD_Integr-1"},
      {"type": "Webhook", "credentialId": "WebHook001"},
      {"type": "Team", "team": "TeamCxtm01"}])");
    const auto detector = by_key(for_all(config), "scheduler/detector");
    for (const auto& rule : detector.body["rules"]) {
      CHECK(rule["notifications"] == expected);
    }
    // Per service: its own recipients and thresholds, the rest from the top level.
    const auto own = config::parse_config(R"(cluster: cxtm-poc
splunk:
  realm: us1
alerts:
  recipients: [{email: oncall@cxtm.example.com}]
services:
  scheduler:
    alerts:
      recipients: [{team: SchedTeam1}]
      p99_latency: {ms: 500}
  notifications: {}
)",
                                          "own.yaml");
    const auto objects = for_all(own);
    const auto& scheduler = by_key(objects, "scheduler/detector").body;
    const auto& notifications = by_key(objects, "notifications/detector").body;
    CHECK(scheduler["rules"][0]["notifications"] ==
          Json::parse(R"([{"type": "Team", "team": "SchedTeam1"}])"));
    CHECK(notifications["rules"][0]["notifications"] ==
          Json::parse(R"([{"type": "Email", "email": "oncall@cxtm.example.com"}])"));
    CHECK(scheduler["programText"].get<std::string>().find("p99_ms > 500,") != std::string::npos);
    CHECK(notifications["programText"].get<std::string>().find("p99_ms > 2000,") !=
          std::string::npos);
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
    const auto error = [](const std::string& alerts) {
      try {
        poc("alerts:\n" + alerts);
      } catch (const Error& e) {
        return std::string(e.what());
      }
      return std::string("(no error)");
    };
    CHECK(error("  p90_latency: {severity: High}\n")
              .find("alerts.p90_latency.severity: 'High' is not a severity") != std::string::npos);
    CHECK(error("  recipients: [{email: nobody}]\n").find("'nobody' is not an email address") !=
          std::string::npos);
    CHECK(error("  recipients: [{slack: E1SlackInt}]\n").find("slack needs a channel") !=
          std::string::npos);
    CHECK(error("  recipients: [{email: a@b.c, team: T1}]\n")
              .find("needs exactly one of email, slack, pagerduty, webhook, team") !=
          std::string::npos);
    CHECK(error("  recipients: [{pagerduty: \"https://events.pagerduty.com/x\"}]\n")
              .find("is not a Splunk id") != std::string::npos);
    CHECK(error("  mute_during_change: 3s\n").find("is not a duration from 1m to 24h") !=
          std::string::npos);
    CHECK(error("  request_drop: {percent: 100}\n").find("alerts.request_drop.percent") !=
          std::string::npos);
  }
}

}  // namespace test_dashboards_desired
