// `dashboards apply` through the built binary against the Splunk API double.

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/json.h"
#include "dashboards/plan.h"
#include "net/http_client.h"
#include "splunk/objects_api.h"
#include "support/cli_runner.h"
#include "support/cluster_cli.h"
#include "support/splunk_cli.h"
#include "support/text.h"

namespace test_integration_dashboards {

using cxtm::Json;
using cxtm::testing::contains;
using cxtm::testing::kErrorPrefix;
using cxtm::testing::kSplunkTestToken;
using cxtm::testing::lines_starting;
using cxtm::testing::SplunkCli;

namespace {

size_t count_of(const Json& objects, const std::string& type) {
  return objects.contains(type) ? objects[type].size() : 0;
}

// The one object of type named name.
Json named(const Json& objects, const std::string& type, const std::string& name) {
  Json found;
  const Json of_type = objects.value(type, Json::object());
  for (const auto& [id, object] : of_type.items()) {
    if (object.value("name", "") == name) {
      REQUIRE(found.is_null());
      found = object;
    }
  }
  REQUIRE_FALSE(found.is_null());
  return found;
}

void apply_ok(const SplunkCli& cli, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> arguments = {"dashboards", "apply"};
  arguments.insert(arguments.end(), extra.begin(), extra.end());
  const auto result = cli.run(arguments);
  INFO(result.out, result.err);
  REQUIRE(result.exit_code == 0);
}

}  // namespace

TEST_SUITE("integration/dashboards") {
  TEST_CASE(
      "a first apply: the group without a default dashboard, per service a dashboard of "
      "three charts and a detector") {
    SplunkCli cli;
    const auto result = cli.run({"dashboards", "apply"});
    INFO(result.out, result.err);
    REQUIRE(result.exit_code == 0);
    const Json objects = cli.splunk.objects();
    CHECK(count_of(objects, "dashboardgroup") == 1);
    CHECK(count_of(objects, "dashboard") == 2);
    CHECK(count_of(objects, "chart") == 6);
    CHECK(count_of(objects, "detector") == 2);
    const Json group = named(objects, "dashboardgroup", "CXTM cxtm-poc");
    const Json scheduler = named(objects, "dashboard", "scheduler");
    CHECK(scheduler["groupId"] == group["id"]);
    CHECK(std::find(group["dashboards"].begin(), group["dashboards"].end(), scheduler["id"]) !=
          group["dashboards"].end());
    REQUIRE(scheduler["charts"].size() == 3);
    for (const auto& placed : scheduler["charts"]) {
      CHECK(objects["chart"].contains(placed["chartId"].get<std::string>()));
    }
    const Json detector =
        named(objects, "detector", "cxtm-notifications (cxtm-poc): errors and latency");
    CHECK(contains(detector["programText"], "filter('sf_service', 'cxtm-notifications')"));
    CHECK(contains(result.out, "11 created, 0 updated, 0 unchanged"));
    CHECK(contains(result.out,
                   "dashboards: https://app.us1.observability.splunkcloud.com/#/dashboard/" +
                       group["id"].get<std::string>()));
  }

  TEST_CASE("an API URL in plain http to another host is refused before the token is sent") {
    SplunkCli cli;
    const auto result =
        cxtm::testing::run_cli({"-c", cli.config().string(), "dashboards", "apply"},
                               {{"CXTM_O11Y_SPLUNK_API_URL", "http://splunk-proxy.invalid:8080"},
                                {"SPLUNK_API_TOKEN", cxtm::testing::kSplunkTestToken}});
    INFO(result.out, result.err);
    CHECK(result.exit_code == 2);
    CHECK(contains(result.err,
                   "CXTM_O11Y_SPLUNK_API_URL: 'http://splunk-proxy.invalid:8080' is "
                   "not https: the API token would travel in clear text"));
    CHECK(cli.splunk.requests().empty());
  }

  TEST_CASE("a second apply sends no write") {
    SplunkCli cli;
    apply_ok(cli);
    const size_t writes = cli.writes().size();
    const auto result = cli.run({"dashboards", "apply"});
    CHECK(result.exit_code == 0);
    CHECK(cli.writes().size() == writes);
    CHECK(contains(result.out, "0 created, 0 updated, 11 unchanged"));
  }

  TEST_CASE("new thresholds update the two detectors alone and keep what was set by hand") {
    SplunkCli cli;
    apply_ok(cli);
    // Someone added a team to a detector in the web UI.
    Json objects = cli.splunk.objects();
    std::string detector_id;
    for (const auto& [id, object] : objects["detector"].items()) detector_id = id;
    const size_t writes = cli.writes().size();
    cli.edit_config("services:", "alerts:\n  error_rate_percent: 2\nservices:");
    const auto result = cli.run({"dashboards", "apply"});
    INFO(result.out, result.err);
    REQUIRE(result.exit_code == 0);
    const auto all = cli.writes();
    const std::vector<std::string> sent(all.begin() + static_cast<long>(writes), all.end());
    REQUIRE(sent.size() == 2);
    for (const auto& write : sent) CHECK(write.starts_with("PUT /v2/detector/"));
    objects = cli.splunk.objects();
    CHECK(contains(objects["detector"][detector_id]["programText"], "* 100 > 2,"));
    CHECK(contains(result.out, "0 created, 2 updated, 9 unchanged"));
  }

  TEST_CASE("fields set by hand survive an update, a chart deleted by hand comes back") {
    SplunkCli cli;
    apply_ok(cli);
    const Json dashboard = named(cli.splunk.objects(), "dashboard", "scheduler");
    const std::string deleted = cli.remove_chart_by_hand("scheduler", 1);
    // And a dashboard filter added in the web UI.
    const std::string id = dashboard["id"];
    Json edited = cxtm::dashboards::without_read_only_fields(cli.splunk.objects()["dashboard"][id]);
    edited["filters"] = {{"variables", Json::array({{{"property", "k8s.cluster.name"}}})}};
    cxtm::net::CurlHttpClient http;
    cxtm::splunk::ObjectsApi(http, cli.splunk.url(), kSplunkTestToken, std::chrono::seconds(5))
        .update(cxtm::splunk::ObjectType::dashboard, id, edited, "edit");

    const auto result = cli.run({"dashboards", "apply"});
    INFO(result.out, result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(contains(result.out, "1 created, 1 updated, 9 unchanged"));
    const Json objects = cli.splunk.objects();
    const Json after = objects["dashboard"][id];
    CHECK(after["filters"] == edited["filters"]);
    REQUIRE(after["charts"].size() == 3);
    const std::string recreated = after["charts"][1]["chartId"];
    CHECK(recreated != deleted);
    CHECK(objects["chart"][recreated]["name"] == "Error rate (%)");
  }

  TEST_CASE("--dry-run prints the diff and writes nothing") {
    SplunkCli cli;
    const auto result = cli.run({"dashboards", "apply", "--dry-run"});
    INFO(result.out, result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(cli.writes().empty());
    CHECK(cli.splunk.objects().empty());
    CHECK(contains(result.out, "+++ proposed/chart/Requests per second"));
    CHECK(contains(result.out,
                   "scheduler: detector \"cxtm-scheduler (cxtm-poc): errors and "
                   "latency\": create (dry run)"));
    CHECK(contains(result.out, "11 to create, 0 to update, 0 unchanged (dry run)"));
  }

  TEST_CASE("-o json: every object with its change and id, the group's link") {
    SplunkCli cli;
    const auto result = cli.run({"dashboards", "apply", "notifications", "-o", "json"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    const Json document = Json::parse(result.out);
    CHECK(document["dryRun"] == false);
    CHECK(document["exitCode"] == 0);
    REQUIRE(document["objects"].size() == 6);
    const Json& detector = document["objects"][5];
    CHECK(detector["type"] == "detector");
    CHECK(detector["service"] == "notifications");
    CHECK(detector["change"] == "create");
    CHECK(detector["id"].is_string());
    CHECK(document["groupUrl"].get<std::string>().starts_with(
        "https://app.us1.observability.splunkcloud.com/#/"));
    CHECK(count_of(cli.splunk.objects(), "detector") == 1);
  }

  TEST_CASE("a group of that name that cxtm-o11y does not keep: exit 6, nothing written") {
    SplunkCli cli;
    cli.splunk.put_object("dashboardgroup", Json{{"name", "CXTM cxtm-poc"},
                                                 {"description", "the SRE team's"},
                                                 {"dashboards", Json::array()}});
    const auto result = cli.run({"dashboards", "apply"});
    CHECK(result.exit_code == 6);
    const auto errors = lines_starting(result.err, kErrorPrefix);
    REQUIRE(errors.size() == 1);
    CHECK(contains(errors[0], "dashboard group \"CXTM cxtm-poc\": a group of that name exists"));
    CHECK(cli.writes().empty());
  }

  TEST_CASE("two groups of the name (two applies at once, say): exit 6 naming both, no write") {
    SplunkCli cli;
    for (int i = 0; i < 2; ++i) {
      cli.splunk.put_object("dashboardgroup", Json{{"name", "CXTM cxtm-poc"},
                                                   {"description", "Kept by cxtm-o11y for cluster"},
                                                   {"dashboards", Json::array()}});
    }
    const auto result = cli.run({"dashboards", "apply"});
    CHECK(result.exit_code == 6);
    CHECK(contains(result.err,
                   "dashboard group \"CXTM cxtm-poc\": Splunk holds two of that name "
                   "(FAKE0000001 and FAKE0000002); delete one"));
    CHECK(cli.writes().empty());
  }

  TEST_CASE("without a token: exit 2 before any request, a refused token: exit 5, the remedy") {
    SplunkCli cli;
    const auto missing = cli.run({"dashboards", "apply"}, "");
    CHECK(missing.exit_code == 2);
    CHECK(contains(missing.err,
                   "dashboards apply needs a Splunk Observability Cloud API token in "
                   "$SPLUNK_API_TOKEN"));
    CHECK(cli.splunk.requests().empty());
    const auto refused = cli.run({"dashboards", "apply"}, "not-the-right-token-123");
    CHECK(refused.exit_code == 5);
    CHECK(contains(refused.err, "HTTP 401"));
    CHECK(contains(refused.err, "not the ingest token"));
    CHECK_FALSE(contains(refused.err, "not-the-right-token-123"));
    CHECK(cli.writes().empty());
  }

  TEST_CASE("a failure whose undo fails too: one line names what stays in Splunk") {
    SplunkCli cli;
    // The scheduler's dashboard cannot be created, and the first chart cannot be deleted again.
    cli.splunk.inject({.method = "POST", .path_regex = "^/v2/dashboard$", .status = 500});
    cli.splunk.inject({.method = "DELETE", .path_regex = "^/v2/chart/", .status = 503, .skip = 2});
    const auto result = cli.run({"dashboards", "apply"});
    INFO(result.out, result.err);
    CHECK(result.exit_code == 8);
    const auto errors = lines_starting(result.err, kErrorPrefix);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].starts_with(std::string(kErrorPrefix) +
                                "scheduler: dashboard \"scheduler\": HTTP 500: injected HTTP 500; "
                                "UNDO FAILED for 1 of 4 changes: scheduler: chart \"Requests per "
                                "second\" ("));
    CHECK(
        contains(errors[0], ") stays created: scheduler: chart \"Requests per second\": HTTP 503"));
    // What the line names is what is left: that one chart.
    const Json objects = cli.splunk.objects();
    CHECK(count_of(objects, "chart") == 1);
    CHECK(count_of(objects, "dashboardgroup") == 0);
    CHECK(count_of(objects, "dashboard") == 0);
  }

  TEST_CASE("a create that committed and then answered 500: found again, not created twice") {
    SplunkCli cli;
    cli.splunk.inject({.method = "POST",
                       .path_regex = "^/v2/dashboard$",
                       .status = 500,
                       .timing = cxtm::testing::FaultTiming::after});
    const auto result = cli.run({"dashboards", "apply"});
    INFO(result.out, result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(contains(result.err,
                   "scheduler: dashboard \"scheduler\": its create's answer was lost (HTTP 500: "
                   "injected HTTP 500); found it in Splunk"));
    CHECK(contains(result.out, "11 created, 0 updated, 0 unchanged"));
    const Json objects = cli.splunk.objects();
    CHECK(count_of(objects, "dashboard") == 2);
    CHECK(count_of(objects, "chart") == 6);
    // The dashboard found again is the one the group lists, and the next apply agrees.
    const Json group = named(objects, "dashboardgroup", "CXTM cxtm-poc");
    CHECK(group["dashboards"].size() == 2);
    const auto again = cli.run({"dashboards", "apply"});
    CHECK(again.exit_code == 0);
    CHECK(contains(again.out, "0 created, 0 updated, 11 unchanged"));
  }

  TEST_CASE("an update whose connection dropped after it committed: read back, not sent again") {
    SplunkCli cli;
    apply_ok(cli);
    const size_t writes = cli.writes().size();
    cli.splunk.inject({.method = "PUT",
                       .path_regex = "^/v2/detector/",
                       .answer = cxtm::testing::FaultAnswer::drop,
                       .timing = cxtm::testing::FaultTiming::after});
    cli.edit_config("services:", "alerts:\n  error_rate_percent: 2\nservices:");
    const auto result = cli.run({"dashboards", "apply"});
    INFO(result.out, result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(contains(result.out, "0 created, 2 updated, 9 unchanged"));
    CHECK(cli.writes().size() == writes + 2);
    const Json detectors = cli.splunk.objects()["detector"];
    REQUIRE(detectors.size() == 2);
    for (const auto& detector : detectors) CHECK(contains(detector["programText"], "* 100 > 2,"));
  }

  TEST_CASE("a delete of the undo whose answer was lost after it committed: read back, undone") {
    SplunkCli cli;
    cli.splunk.inject({.method = "POST", .path_regex = "^/v2/dashboard$", .status = 403});
    cli.splunk.inject({.method = "DELETE",
                       .path_regex = "^/v2/chart/",
                       .status = 500,
                       .timing = cxtm::testing::FaultTiming::after});
    const auto result = cli.run({"dashboards", "apply"});
    INFO(result.out, result.err);
    CHECK(result.exit_code == 5);
    const auto errors = lines_starting(result.err, kErrorPrefix);
    REQUIRE(errors.size() == 1);
    CHECK(contains(errors[0], "HTTP 403"));
    CHECK(contains(errors[0], "; undone: 4 changes"));
    CHECK(cli.splunk.objects() == Json::object());
  }

  TEST_CASE("a 500 on a read is retried: the apply goes through") {
    SplunkCli cli;
    cli.splunk.inject({.method = "GET", .path_regex = "^/v2/dashboardgroup", .status = 500});
    const auto result = cli.run({"dashboards", "apply"});
    INFO(result.out, result.err);
    CHECK(result.exit_code == 0);
    CHECK(count_of(cli.splunk.objects(), "dashboardgroup") == 1);
  }

  TEST_CASE("Ctrl-C: stops before the next request and undoes what the run did") {
    SplunkCli cli;
    // The third write takes a second, so the signal comes while the run is under way.
    cli.splunk.inject({.method = "POST",
                       .path_regex = "^/v2/chart$",
                       .answer = cxtm::testing::FaultAnswer::hang,
                       .skip = 1,
                       .delay = std::chrono::seconds(1)});
    const auto result =
        cli.run_interrupted({"dashboards", "apply"}, [&] { return cli.writes().size() >= 2; });
    INFO(result.out, result.err);
    CHECK(result.exit_code == 130);
    const auto errors = lines_starting(result.err, kErrorPrefix);
    REQUIRE(errors.size() == 1);
    CHECK(contains(errors[0], "interrupted before "));
    // What it had created when the signal came (the group, a chart or two) is gone again.
    CHECK(contains(errors[0], "; undone: "));
    CHECK(cli.splunk.objects() == Json::object());
  }

  TEST_CASE("an unknown service: exit 2, naming it") {
    SplunkCli cli;
    const auto result = cli.run({"dashboards", "apply", "schedulr"});
    CHECK(result.exit_code == 2);
    CHECK(contains(result.err, "schedulr"));
    CHECK(cli.splunk.requests().empty());
  }

  TEST_CASE("the API token shows nowhere: output, JSON, errors") {
    SplunkCli cli;
    const auto ok = cli.run({"-v", "dashboards", "apply", "-o", "json"});
    cli.splunk.inject({.method = "PUT", .path_regex = "^/v2/detector/", .status = 403});
    cli.edit_config("services:", "alerts:\n  p99_latency_ms: 900\nservices:");
    const auto failed = cli.run({"-v", "dashboards", "apply"});
    CHECK(ok.exit_code == 0);
    CHECK(failed.exit_code == 5);
    for (const auto* text : {&ok.out, &ok.err, &failed.out, &failed.err}) {
      CHECK_FALSE(contains(*text, kSplunkTestToken));
    }
  }
}

}  // namespace test_integration_dashboards
