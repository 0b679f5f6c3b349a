// Found by fuzz_lint: an alias to its own anchor overflowed lint's stack, and nested aliases
// made a 400-byte file take half a minute and gigabytes. Both are refused before any walk.
#include <doctest/doctest.h>

#include <string>

#include "config/config.h"
#include "core/error.h"
#include "core/yaml_bounds.h"
#include "lint/collector_lint.h"
#include "support/hostile_yaml.h"

namespace test_core_yaml_bounds {

namespace {

const std::string kCycle = "receivers: &x\n  otlp: *x\n";

}  // namespace

TEST_SUITE("core/yaml_bounds") {
  TEST_CASE("a cycle and an alias bomb are out of bounds, an ordinary document is not") {
    CHECK(cxtm::yaml_bounds_problem(YAML::Load(kCycle))->find("deeper than 64") !=
          std::string::npos);
    CHECK(cxtm::yaml_bounds_problem(YAML::Load(cxtm::testing::alias_bomb()))->find("more than") !=
          std::string::npos);
    CHECK_FALSE(cxtm::yaml_bounds_problem(YAML::Load("a: &x [1, 2]\nb: *x\nc: {d: [e]}\n")));
  }

  TEST_CASE("lint reports them as one finding, at once") {
    for (const std::string& text : {kCycle, cxtm::testing::alias_bomb()}) {
      const auto findings = cxtm::lint::lint_collector_config(text, "bad.yaml", {.realm = "us1"});
      REQUIRE(findings.size() == 1);
      CHECK(findings[0].rule_id == "yaml-limits");
      CHECK(findings[0].severity == cxtm::lint::Severity::error);
    }
  }

  TEST_CASE("the config reader refuses them with the file's name") {
    try {
      (void)cxtm::config::parse_config("cluster: c\nextra: &x [*x]\n", "bad.yaml", {});
      FAIL("expected an error");
    } catch (const cxtm::Error& error) {
      CHECK(error.code() == cxtm::ExitCode::usage);
      CHECK(std::string(error.what()).starts_with("bad.yaml: the YAML nests deeper than 64"));
    }
  }
}

}  // namespace test_core_yaml_bounds
