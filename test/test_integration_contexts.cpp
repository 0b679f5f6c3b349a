// Many clusters: one command over two kubeconfig contexts, each an API server double with its
// own state, by `--context a,b` and by the config's `contexts:` (with per-cluster settings):
// each line prefixed with its context, one summary table, the worst exit code.

#include <doctest/doctest.h>
#include <fmt/core.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/json.h"
#include "instrument/owned.h"
#include "support/cli_runner.h"
#include "support/cluster_cli.h"
#include "support/temp_dir.h"

namespace test_integration_contexts {

using cxtm::Json;
using cxtm::instrument::instrumented_by_us;
using cxtm::testing::app_env;
using cxtm::testing::ClusterCli;
using cxtm::testing::lines_starting;
using cxtm::testing::TempDir;

namespace {

// Two clusters, east and west, in one kubeconfig, and a config that names both.
struct TwoClusters {
  TwoClusters() {
    east.seed("minimal", "cxtm-scheduler");
    west.seed("minimal", "cxtm-scheduler");
    kubeconfig = dir.write("kubeconfig", fmt::format(R"(apiVersion: v1
kind: Config
clusters:
- name: east
  cluster: {{server: {}}}
- name: west
  cluster: {{server: {}}}
contexts:
- name: east
  context: {{cluster: east, user: fake-user}}
- name: west
  context: {{cluster: west, user: fake-user}}
current-context: east
users:
- name: fake-user
  user: {{token: fake-bearer-token}}
)",
                                                     east.server.url(), west.server.url()));
    std::string text = cxtm::read_file(CXTM_SOURCE_DIR "/examples/cxtm-poc.yaml");
    text += fmt::format("state_dir: {}\n", (dir.path() / "state").string());
    plain_config = dir.write("plain.yaml", text);
    config = dir.write("cxtm-o11y.yaml", text +
                                             "contexts:\n"
                                             "  east:\n"
                                             "    cluster: cxtm-east\n"
                                             "    environment: prod-east\n"
                                             "  west:\n"
                                             "    cluster: cxtm-west\n"
                                             "    environment: prod-west\n");
  }

  cxtm::kube::ProcessResult run(const std::filesystem::path& config_file,
                                const std::vector<std::string>& arguments) const {
    std::vector<std::string> argv = {"-c", config_file.string(), "--kubeconfig",
                                     kubeconfig.string()};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    return cxtm::testing::run_cli(
        argv, {{"HOME", dir.path().string()}, {"KUBECONFIG", ""}, {"SPLUNK_ACCESS_TOKEN", ""}});
  }

  ClusterCli east;
  ClusterCli west;
  TempDir dir;
  std::filesystem::path kubeconfig;
  std::filesystem::path config;
  std::filesystem::path plain_config;
};

}  // namespace

TEST_SUITE("integration/contexts") {
  TEST_CASE(
      "the config's contexts: each cluster planned with its own settings, lines "
      "prefixed, the worst code") {
    TwoClusters clusters;
    // West is instrumented already (through its own run), east is not.
    const auto west_only = clusters.run(
        clusters.config, cxtm::testing::fast({"instrument", "scheduler", "--context", "west"}));
    INFO(west_only.err);
    REQUIRE(west_only.exit_code == 0);
    CHECK(app_env(clusters.west.deployment("cxtm-scheduler"), "OTEL_RESOURCE_ATTRIBUTES")
              .find("deployment.environment=prod-west") != std::string::npos);
    CHECK_FALSE(instrumented_by_us(clusters.east.deployment("cxtm-scheduler")));

    const auto plan = clusters.run(clusters.config,
                                   {"instrument", "scheduler", "--dry-run", "--detailed-exitcode"});
    INFO(plan.out, plan.err);
    CHECK(plan.exit_code == 2);  // east pending, west up to date
    CHECK(!lines_starting(plan.out, "[east] scheduler (default/cxtm-scheduler): dry run").empty());
    CHECK(!lines_starting(plan.out,
                          "[west] scheduler (default/cxtm-scheduler): already "
                          "instrumented")
               .empty());
    CHECK(plan.out.find("CONTEXT") != std::string::npos);

    const auto both =
        clusters.run(clusters.config, cxtm::testing::fast({"instrument", "scheduler"}));
    INFO(both.out, both.err);
    CHECK(both.exit_code == 0);
    const Json east = clusters.east.deployment("cxtm-scheduler");
    CHECK(instrumented_by_us(east));
    CHECK(app_env(east, "OTEL_RESOURCE_ATTRIBUTES").find("deployment.environment=prod-east") !=
          std::string::npos);
    // Each cluster's local backups under its own cluster name.
    CHECK(std::filesystem::exists(clusters.dir.path() /
                                  "state/backups/cxtm-east/default/cxtm-scheduler/original.json"));
    CHECK(std::filesystem::exists(clusters.dir.path() /
                                  "state/backups/cxtm-west/default/cxtm-scheduler/original.json"));
  }

  TEST_CASE("--context a,b over a config without contexts:, JSON, and a context that fails") {
    TwoClusters clusters;
    const auto status =
        clusters.run(clusters.plain_config, {"--context", "east,west", "status", "-o", "json"});
    INFO(status.out, status.err);
    REQUIRE(status.exit_code == 0);
    const Json report = Json::parse(status.out);
    REQUIRE(report["contexts"].size() == 2);
    CHECK(report["contexts"][0]["context"] == "east");
    CHECK(report["contexts"][1]["context"] == "west");
    CHECK(report["contexts"][1]["output"]["services"][0]["deployment"] == "default/cxtm-scheduler");
    CHECK(report["exitCode"] == 0);

    const auto failing =
        clusters.run(clusters.plain_config,
                     {"--context", "east,nowhere", "instrument", "scheduler", "--dry-run"});
    INFO(failing.out, failing.err);
    CHECK(failing.exit_code == 3);  // kubectl: no such context
    CHECK(!lines_starting(failing.err, "[nowhere] cxtm-o11y: error:").empty());
    CHECK(failing.out.find("nowhere") != std::string::npos);

    const auto gitops = clusters.run(clusters.plain_config, {"--context", "east,west", "instrument",
                                                             "scheduler", "--output-dir", "x"});
    CHECK(gitops.exit_code == 2);
    CHECK(gitops.err.find("--output-dir with several contexts") != std::string::npos);
  }
}

}  // namespace test_integration_contexts
