// Found by fuzz_lint: yaml-cpp 0.7 loops forever, allocating, on a ',' at the top level of a
// document. libyaml sees the syntax error first, so yaml-cpp never gets such text.
#include <doctest/doctest.h>

#include <string>

#include "config/config.h"
#include "core/error.h"
#include "core/yaml_syntax.h"
#include "lint/collector_lint.h"

TEST_SUITE("core/yaml_syntax") {
  TEST_CASE("a ',' at the top level is a syntax error with its position") {
    for (const char* text : {",receivers:\n", "\"a\" ,\n", "a: b\n---\n,\n"}) {
      CAPTURE(text);
      const auto error = cxtm::find_yaml_syntax_error(text);
      REQUIRE(error);
      CHECK(error->line >= 1);
      CHECK_FALSE(error->problem.empty());
    }
    const auto error = cxtm::find_yaml_syntax_error("a: b\n---\n,\n");
    CHECK(error->line == 3);
    CHECK(error->column == 1);
  }

  TEST_CASE("valid streams, NUL bytes and control characters") {
    CHECK_FALSE(cxtm::find_yaml_syntax_error("a: [b, c]\n---\n- {d: e}\n"));
    CHECK_FALSE(cxtm::find_yaml_syntax_error(""));
    CHECK(cxtm::find_yaml_syntax_error(std::string("a: b\0c\n", 7)));
    CHECK(cxtm::find_yaml_syntax_error("a: \x03\n"));
  }

  TEST_CASE("lint and the config reader report it instead of hanging") {
    const auto findings =
        cxtm::lint::lint_collector_config(",receivers:\n", "bad.yaml", {.realm = "us1"});
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].rule_id == "yaml-syntax");
    CHECK(findings[0].line == 1);
    try {
      (void)cxtm::config::parse_config("\"a\" ,\n", "bad.yaml", {});
      FAIL("expected an error");
    } catch (const cxtm::Error& error) {
      CHECK(error.code() == cxtm::ExitCode::usage);
      CHECK(std::string(error.what()).starts_with("bad.yaml:1:"));
    }
  }
}
