#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>

#include "core/digest.h"
#include "core/json.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"

namespace test_cli_basics {

using cxtm::testing::line_count;
using cxtm::testing::run_cli;

namespace {

const std::string kExample = CXTM_SOURCE_DIR "/examples/cxtm-poc.yaml";

}  // namespace

TEST_SUITE("cli/basics") {
  TEST_CASE("--version and --help answer with exit 0") {
    const auto version = run_cli({"--version"});
    CHECK(version.exit_code == 0);
    CHECK(version.out.starts_with("cxtm-o11y "));
    const auto help = run_cli({"--help"});
    CHECK(help.exit_code == 0);
    for (const char* command :
         {"render", "lint", "collector", "instrument", "rollback", "status", "backup"}) {
      CAPTURE(command);
      CHECK(help.out.find(command) != std::string::npos);
    }
    CHECK(run_cli({"collector", "deploy", "--help"}).exit_code == 0);
  }

  TEST_CASE("usage errors exit 2") {
    CHECK(run_cli({}).exit_code == 2);
    CHECK(run_cli({"frobnicate"}).exit_code == 2);
    CHECK(run_cli({"-c", kExample, "-o", "xml", "render"}).exit_code == 2);
    const auto timeout = run_cli({"-c", kExample, "collector", "deploy", "--timeout", "soon"});
    CHECK(timeout.exit_code == 2);
    CHECK(timeout.err ==
          "cxtm-o11y: error: --timeout: 'soon' is not a duration (like 90s, 5m, 1m30s)\n");
  }

  TEST_CASE("render of the example is a YAML stream of the collector objects") {
    const auto result = run_cli({"-c", kExample, "render"}, {{"SPLUNK_ACCESS_TOKEN", ""}});
    CHECK(result.exit_code == 0);
    for (const char* kind :
         {"kind: ServiceAccount", "kind: ClusterRole", "kind: ClusterRoleBinding",
          "kind: ConfigMap", "kind: DaemonSet", "kind: Service"}) {
      CAPTURE(kind);
      CHECK(result.out.find(kind) != std::string::npos);
    }
    CHECK(result.out.find("kind: Secret") == std::string::npos);
    CHECK(result.out.find("sapm") == std::string::npos);
  }

  TEST_CASE("render to stdout leaves the token Secret out unless --include-secret") {
    const std::string token = "cli-basics-token-5d1e9a77";
    const auto plain = run_cli({"-c", kExample, "render"}, {{"SPLUNK_ACCESS_TOKEN", token}});
    CHECK(plain.exit_code == 0);
    CHECK(plain.out.find("kind: Secret") == std::string::npos);
    CHECK(plain.out.find(cxtm::base64_encode(token)) == std::string::npos);
    CHECK(plain.err.find("note: the token Secret is left out of stdout (--include-secret") !=
          std::string::npos);
    const auto asked =
        run_cli({"-c", kExample, "render", "--include-secret"}, {{"SPLUNK_ACCESS_TOKEN", token}});
    CHECK(asked.exit_code == 0);
    CHECK(asked.out.find("kind: Secret") != std::string::npos);
    CHECK(asked.out.find(cxtm::base64_encode(token)) != std::string::npos);
  }

  TEST_CASE("render --output-dir: created 0700 whatever the umask, one others may write refused") {
    cxtm::testing::TempDir dir;
    const auto fresh = dir.path() / "out" / "manifests";
    const mode_t saved = ::umask(0);
    const auto created = run_cli({"-c", kExample, "render", "--output-dir", fresh.string()},
                                 {{"SPLUNK_ACCESS_TOKEN", ""}});
    ::umask(saved);
    CHECK(created.exit_code == 0);
    struct stat info {};
    REQUIRE(::stat(fresh.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0700);

    const auto shared = dir.path() / "shared";
    std::filesystem::create_directory(shared);
    REQUIRE(::chmod(shared.c_str(), 01777) == 0);
    const auto refused = run_cli({"-c", kExample, "render", "--output-dir", shared.string()},
                                 {{"SPLUNK_ACCESS_TOKEN", ""}});
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("others may write it (mode 1777)") != std::string::npos);
    CHECK(std::filesystem::is_empty(shared));
  }

  TEST_CASE("the config file comes from -c, else $CXTM_O11Y_CONFIG") {
    const auto from_env = run_cli({"render"}, {{"CXTM_O11Y_CONFIG", kExample}});
    CHECK(from_env.exit_code == 0);
    const auto missing = run_cli({"render"}, {{"CXTM_O11Y_CONFIG", "/nonexistent/c.yaml"}});
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("/nonexistent/c.yaml: cannot read the config file") !=
          std::string::npos);
  }

  TEST_CASE("each bad config gives one line naming file, line and field, and exit 2") {
    cxtm::testing::TempDir dir;
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"cluster: c\nsplunk:\n  realm: us1\n  relam: x\n",
         "bad.yaml:4:3: splunk.relam: unknown field"},
        {"cluster: c\nsplunk:\n  realm: xx9\n", "bad.yaml:3:3: splunk.realm: unknown realm 'xx9'"},
        {"cluster: c\nsplunk:\n  realm: us1\ncollector:\n  ports:\n    health: 70000\n",
         "bad.yaml:6:5: collector.ports.health: expected a whole number from 1 to 65535"},
        {"cluster: c\nsplunk:\n  realm: us1\nservices:\n  api:\n    deployment: API\n",
         "bad.yaml:6:5: services.api.deployment: 'API'"},
        {"cluster: c\nsplunk:\n  realm: us1\n  access_token: abcdefghijklmnop1234\n",
         "bad.yaml:4:3: splunk.access_token: an inline token is not allowed"},
    };
    for (const auto& bad_case : cases) {
      const std::string& text = bad_case.first;
      const std::string& expected = bad_case.second;
      CAPTURE(text);
      const auto file = dir.write("bad.yaml", text);
      const auto result = run_cli({"-c", file.string(), "render"});
      CHECK(result.exit_code == 2);
      CHECK(line_count(result.err) == 1);
      CHECK(result.err.find(expected) != std::string::npos);
      CHECK(result.out.empty());
      CHECK(result.err.find("abcdefghijklmnop1234") == std::string::npos);
    }
  }

  TEST_CASE("lint exits 1 on the POC's broken config and prints file:line findings") {
    const auto result = run_cli(
        {"lint", "--realm", "us1", CXTM_SOURCE_DIR "/test/testdata/lint/poc-crashloop.yaml"});
    CHECK(result.exit_code == 1);
    CHECK(result.out.find("poc-crashloop.yaml:12: error memory-limiter-check-interval:") !=
          std::string::npos);
    CHECK(result.out.find("sapm-removed") != std::string::npos);
    const auto json = run_cli({"-o", "json", "lint", "--realm", "us1",
                               CXTM_SOURCE_DIR "/test/testdata/lint/poc-crashloop.yaml"});
    CHECK(json.exit_code == 1);
    const auto parsed = cxtm::Json::parse(json.out);
    CHECK(parsed["errors"].get<int>() >= 3);
    CHECK(parsed["findings"][0].contains("rule"));
  }

  TEST_CASE("lint of the config it would deploy is clean") {
    const auto result = run_cli({"-c", kExample, "lint"});
    CHECK(result.exit_code == 0);
    CHECK(result.out == "0 errors, 0 warnings\n");
  }

  TEST_CASE("an unreachable cluster is exit 3 with one line, and kubectl missing too") {
    cxtm::testing::TempDir dir;
    const auto kubeconfig = dir.write("kubeconfig",
                                      "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  "
                                      "cluster:\n    server: http://127.0.0.1:1\n"
                                      "contexts:\n- name: c\n  context:\n    cluster: c\n    user: "
                                      "u\ncurrent-context: c\nusers:\n- name: u\n  user: {}\n");
    const auto unreachable =
        run_cli({"-c", kExample, "--kubeconfig", kubeconfig.string(), "collector", "status"});
    CHECK(unreachable.exit_code == 3);
    CHECK(line_count(unreachable.err) == 1);
    const auto missing =
        run_cli({"-c", kExample, "--kubectl", "/nonexistent/kubectl", "collector", "status"});
    CHECK(missing.exit_code == 3);
    CHECK(missing.err.find("/nonexistent/kubectl") != std::string::npos);
  }
}

}  // namespace test_cli_basics
