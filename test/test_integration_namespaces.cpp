// Services beyond the config's namespace and list: `services.<name>.namespace` end to end
// (instrument, status, backup list, rollback in the service's own namespace), and `-l SELECTOR`
// choosing a fleet by label, with the config's defaults for Deployments it does not list.

#include <doctest/doctest.h>

#include <set>

#include "core/json.h"
#include "instrument/owned.h"
#include "support/cli_runner.h"
#include "support/cluster_cli.h"

namespace test_integration_namespaces {

using cxtm::Json;
using cxtm::instrument::instrumented_by_us;
using cxtm::testing::app_env;
using cxtm::testing::ClusterCli;
using cxtm::testing::deployment_path;
using cxtm::testing::fast;
using cxtm::testing::kErrorPrefix;

namespace {

Json stored(const ClusterCli& cluster, const std::string& name, const std::string& namespace_) {
  const auto object = cluster.server.get(deployment_path(name, namespace_));
  REQUIRE(object.has_value());
  return *object;
}

void label(const ClusterCli& cluster, const std::string& deployment, const std::string& labels) {
  const auto labelled = cluster.kubectl({"label", "deployment", deployment, labels});
  INFO(labelled.err);
  REQUIRE(labelled.exit_code == 0);
}

}  // namespace

TEST_SUITE("integration/namespaces") {
  TEST_CASE("a service in its own namespace: instrumented, backed up and rolled back there") {
    ClusterCli cluster(
        "  billing:\n"
        "    deployment: cxtm-billing\n"
        "    namespace: billing\n"
        "    selector: app.kubernetes.io/name=billing\n");
    const auto created = cluster.kubectl(
        {"create", "-f", "-"},
        R"({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "billing"}})");
    INFO(created.err);
    REQUIRE(created.exit_code == 0);
    cluster.seed("minimal", "cxtm-billing", "billing");
    cluster.seed("minimal", "cxtm-billing");  // a namesake in default, not the service

    const auto result = cluster.run(fast({"instrument", "billing"}));
    INFO(result.out, result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.out.find("billing (billing/cxtm-billing): instrumented") != std::string::npos);
    const Json billing = stored(cluster, "cxtm-billing", "billing");
    CHECK(instrumented_by_us(billing));
    CHECK(app_env(billing, "OTEL_RESOURCE_ATTRIBUTES").find("service.namespace=billing") !=
          std::string::npos);
    // The collector stays where the config puts it.
    CHECK(app_env(billing, "OTEL_EXPORTER_OTLP_ENDPOINT") ==
          "http://otel-collector.default.svc:4318");
    CHECK_FALSE(instrumented_by_us(stored(cluster, "cxtm-billing", "default")));
    CHECK(cluster.server.get("/api/v1/namespaces/billing/configmaps/cxtm-o11y-backup-cxtm-billing")
              .has_value());

    const auto status = cluster.run({"status", "billing", "-o", "json"});
    const Json reported = Json::parse(status.out)["services"][0];
    CHECK(reported["deployment"] == "billing/cxtm-billing");
    CHECK(reported["state"] == "instrumented");
    CHECK(reported["backup"]["cluster"] == true);
    const auto backups = cluster.run({"backup", "list"});
    CHECK(backups.out.find("cxtm-billing") != std::string::npos);

    const auto rollback = cluster.run(fast({"rollback", "billing"}));
    INFO(rollback.err);
    CHECK(rollback.exit_code == 0);
    CHECK_FALSE(instrumented_by_us(stored(cluster, "cxtm-billing", "billing")));
  }

  TEST_CASE(
      "-l team=cxtm: the labelled Deployments, listed ones with their settings, the "
      "others with the config's defaults") {
    // cxtm-scheduler is the example's scheduler, cxtm-reports is listed with its own
    // OTEL_SERVICE_NAME, cxtm-search is not listed at all.
    ClusterCli cluster(
        "  reports:\n"
        "    deployment: cxtm-reports\n"
        "    otel_service_name: reports-from-config\n");
    for (const char* name : {"cxtm-scheduler", "cxtm-reports", "cxtm-search", "cxtm-unrelated"}) {
      cluster.seed("minimal", name);
    }
    for (const char* name : {"cxtm-scheduler", "cxtm-reports", "cxtm-search"}) {
      label(cluster, name, "team=cxtm");
    }
    const int writes = cluster.server.write_count();

    const auto dry = cluster.run({"instrument", "-l", "team=cxtm", "--dry-run", "-o", "json"});
    INFO(dry.err);
    REQUIRE(dry.exit_code == 0);
    std::set<std::string> planned;
    const Json report = Json::parse(dry.out);
    for (const auto& result : report["services"]) {
      planned.insert(result["service"].get<std::string>() + " " +
                     result["deployment"].get<std::string>());
    }
    CHECK(planned == std::set<std::string>{"reports default/cxtm-reports",
                                           "scheduler default/cxtm-scheduler",
                                           "cxtm-search default/cxtm-search"});
    CHECK(cluster.server.write_count() == writes);

    const auto result = cluster.run(fast({"instrument", "-l", "team=cxtm"}));
    INFO(result.out, result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.out.find("cxtm-search (default/cxtm-search): instrumented") != std::string::npos);
    CHECK(app_env(cluster.deployment("cxtm-reports"), "OTEL_SERVICE_NAME") ==
          "reports-from-config");
    CHECK(app_env(cluster.deployment("cxtm-search"), "OTEL_SERVICE_NAME") == "cxtm-search");
    CHECK_FALSE(instrumented_by_us(cluster.deployment("cxtm-unrelated")));

    const auto status = cluster.run({"status", "-l", "team=cxtm", "-o", "json"});
    CHECK(Json::parse(status.out)["services"].size() == 3);
    const auto rollback = cluster.run(fast({"rollback", "-l", "team=cxtm"}));
    CHECK(rollback.exit_code == 0);
    for (const char* name : {"cxtm-scheduler", "cxtm-reports", "cxtm-search"}) {
      CHECK_FALSE(instrumented_by_us(cluster.deployment(name)));
    }
  }

  TEST_CASE("-l: nothing matching, a bad selector, or names too: one error line, nothing written") {
    ClusterCli cluster;
    cluster.seed("minimal", "cxtm-scheduler");
    const int writes = cluster.server.write_count();
    const auto none = cluster.run({"instrument", "-l", "team=nobody"});
    CHECK(none.exit_code == 4);
    CHECK(none.err.starts_with(kErrorPrefix + "no Deployment in namespace default matches"));
    const auto bad = cluster.run({"instrument", "-l", "team==="});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.starts_with(kErrorPrefix + "-l 'team===':"));
    CHECK(cluster.run({"instrument", "scheduler", "-l", "team=cxtm"}).exit_code == 2);
    CHECK(cluster.server.write_count() == writes);
  }

  TEST_CASE("a service namespace that is not a DNS label is a config error naming the field") {
    ClusterCli cluster("  billing:\n    namespace: Billing_NS\n");
    const auto result = cluster.run({"status"});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("services.billing.namespace") != std::string::npos);
  }
}

}  // namespace test_integration_namespaces
