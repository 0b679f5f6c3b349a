// Detectors that notify someone (issue 18), through the built binary against the Splunk API
// double: the config's recipients on every rule of each service's detector, the five rules with
// their severities, a second apply that writes nothing, and a new recipient that updates the
// detectors alone.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/json.h"
#include "support/splunk_cli.h"
#include "support/text.h"

namespace test_integration_dashboards_alerts {

using cxtm::Json;
using cxtm::testing::contains;
using cxtm::testing::SplunkCli;

namespace {

constexpr const char* kRecipients = R"(alerts:
  recipients:
    - email: oncall@cxtm.example.com
    - slack: E1SlackInt
      channel: "#cxtm-alerts"
services:)";

std::vector<Json> detectors(const SplunkCli& cli) {
  std::vector<Json> found;
  const Json held = cli.splunk.objects().value("detector", Json::object());
  for (const auto& [id, detector] : held.items()) found.push_back(detector);
  return found;
}

}  // namespace

TEST_SUITE("integration/dashboards alerts") {
  TEST_CASE("an alert routed to the config's recipients: every rule of every detector") {
    SplunkCli cli;
    cli.edit_config("services:", kRecipients);
    const auto result = cli.run({"dashboards", "apply"});
    INFO(result.out, result.err);
    REQUIRE(result.exit_code == 0);
    const auto found = detectors(cli);
    REQUIRE(found.size() == 2);
    const Json expected = Json::parse(R"([
      {"type": "Email", "email": "oncall@cxtm.example.com"},
      {"type": "Slack", "credentialId": "E1SlackInt", "channel": "#cxtm-alerts"}])");
    for (const Json& detector : found) {
      std::vector<std::string> labels;
      for (const Json& rule : detector["rules"]) {
        labels.push_back(rule["detectLabel"]);
        CHECK(rule["notifications"] == expected);
      }
      CHECK(labels == std::vector<std::string>{"error rate", "p90 latency", "p99 latency",
                                               "request rate drop", "no data"});
    }
    // A second apply finds everything as it should be.
    const size_t writes = cli.writes().size();
    const auto again = cli.run({"dashboards", "apply"});
    INFO(again.out, again.err);
    CHECK(again.exit_code == 0);
    CHECK(cli.writes().size() == writes);
  }

  TEST_CASE("a new recipient updates the two detectors alone, shown first by --dry-run") {
    SplunkCli cli;
    cli.edit_config("services:", kRecipients);
    REQUIRE(cli.run({"dashboards", "apply"}).exit_code == 0);
    const size_t writes = cli.writes().size();
    cli.edit_config("    - email: oncall@cxtm.example.com",
                    "    - email: oncall@cxtm.example.com\n    - pagerduty: PD_Cxtm_01");
    const auto dry = cli.run({"dashboards", "apply", "--dry-run"});
    INFO(dry.out, dry.err);
    CHECK(dry.exit_code == 0);
    CHECK(contains(dry.out, "PD_Cxtm_01"));
    CHECK(cli.writes().size() == writes);
    const auto result = cli.run({"dashboards", "apply"});
    INFO(result.out, result.err);
    CHECK(result.exit_code == 0);
    const auto all = cli.writes();
    const std::vector<std::string> sent(all.begin() + static_cast<long>(writes), all.end());
    REQUIRE(sent.size() == 2);
    for (const auto& write : sent) CHECK(write.starts_with("PUT /v2/detector/"));
    for (const Json& detector : detectors(cli)) {
      CHECK(detector["rules"][4]["notifications"][1] ==
            Json::parse(R"({"type": "PagerDuty", "credentialId": "PD_Cxtm_01"})"));
    }
  }

  TEST_CASE("a recipient Splunk refuses is refused by the config first: exit 2, no request") {
    SplunkCli cli;
    cli.edit_config("services:", "alerts:\n  recipients: [{slack: E1SlackInt}]\nservices:");
    const auto result = cli.run({"dashboards", "apply"});
    CHECK(result.exit_code == 2);
    CHECK(contains(result.err, "slack needs a channel"));
    CHECK(cli.writes().empty());
  }
}

}  // namespace test_integration_dashboards_alerts
