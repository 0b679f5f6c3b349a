// Found by fuzz_lint: yaml-cpp 0.7 loops forever, allocating, on a ',' at the top level of a
// document. libyaml sees the syntax error first, so yaml-cpp never gets such text.
#include <doctest/doctest.h>

#include <string>

#include "config/config.h"
#include "core/error.h"
#include "core/yaml_syntax.h"
#include "lint/collector_lint.h"

namespace test_core_yaml_syntax {

TEST_SUITE("core/yaml_syntax") {
  TEST_CASE("a ',' at the top level is a syntax error with its position") {
    for (const char* text : {",receivers:\n", "\"a\" ,\n", "a: b\n---\n,\n"}) {
      CAPTURE(text);
      const auto error = cxtm::check_yaml_text(text);
      REQUIRE(error);
      CHECK(error->line >= 1);
      CHECK_FALSE(error->problem.empty());
    }
    const auto error = cxtm::check_yaml_text("a: b\n---\n,\n");
    CHECK(error->line == 3);
    CHECK(error->column == 1);
  }

  TEST_CASE("a document that is a tagged or anchored plain scalar over lines is refused") {
    // Valid YAML on which yaml-cpp 0.7 allocates without end (found by fuzz_lint).
    for (const char* text : {"!x a\n,\n", "&x a\n\n,\n", "!0.:lll p\n,llexporters r p\n"}) {
      CAPTURE(text);
      const auto error = cxtm::check_yaml_text(text);
      REQUIRE(error);
      CHECK(error->line == 1);
      CHECK_FALSE(error->over_limit);
    }
    // The same scalar on one line, quoted, or inside a mapping stays valid.
    for (const char* text : {"!x a\n", "!x \"a\n,\"\n", "k: !x a\n  ,\n", "--- a\n,b\n"}) {
      CAPTURE(text);
      CHECK_FALSE(cxtm::check_yaml_text(text));
    }
    const auto findings =
        cxtm::lint::lint_collector_config("!x a\n,\n", "bad.yaml", {.realm = "us1"});
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].rule_id == "yaml-syntax");
  }

  TEST_CASE("an anchor or alias name the two YAML readers end at different places is refused") {
    // libyaml ends `&a:` at the ':' (names of letters, digits, '-' and '_'); yaml-cpp 0.7 takes
    // "a:" as the name and then loops, allocating, on what follows (found by fuzz_lint: 5 bytes,
    // 1.4 GB in 13 s).
    for (const char* text : {"&a:,\n", "&a:a ,x\n", " &a:a\"lol\",*$,*g *g,lll*g,*g,*g]\n",
                             "k: &a:b c\n", "k: *a:\n", "- !t &a:x y\n"}) {
      const std::string shown = text;
      CAPTURE(shown);
      const auto error = cxtm::check_yaml_text(text);
      REQUIRE(error);
      CAPTURE(error->problem);
      CHECK(error->problem.find("put a space after it") != std::string::npos);
      CHECK_FALSE(error->over_limit);
    }
    const auto error = cxtm::check_yaml_text("a: 1\nk: &anchor:x y\n");
    REQUIRE(error);
    CHECK(error->line == 2);
    CHECK(error->column == 4);
    CHECK(error->problem ==
          "the anchor name 'anchor' is followed by ':', which some YAML readers take as part of "
          "the name: put a space after it");
    // Names that end where both readers end them.
    for (const char* text : {"k: &a-1_b c\n", "[&a x, *a]\n", "{k: &a v, l: *a}\n",
                             "k: &a\n  x: 1\nl: *a\n", "- &a !t x\n- *a\n"}) {
      CAPTURE(text);
      CHECK_FALSE(cxtm::check_yaml_text(text));
    }
    const auto findings = cxtm::lint::lint_collector_config("&a:,\n", "bad.yaml", {.realm = "us1"});
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].rule_id == "yaml-syntax");
  }

  TEST_CASE("valid streams, NUL bytes and control characters") {
    CHECK_FALSE(cxtm::check_yaml_text("a: [b, c]\n---\n- {d: e}\n"));
    CHECK_FALSE(cxtm::check_yaml_text(""));
    CHECK(cxtm::check_yaml_text(std::string("a: b\0c\n", 7)));
    CHECK(cxtm::check_yaml_text("a: \x03\n"));
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

TEST_SUITE("core/yaml_syntax") {
  TEST_CASE("depth and node limits stop at the first node past them, where it is") {
    const auto deep = cxtm::check_yaml_text(std::string(100, '['), {.max_depth = 64});
    REQUIRE(deep);
    CHECK(deep->over_limit);
    CHECK(deep->column == 65);
    CHECK(deep->problem == "nests deeper than 64 levels");
    CHECK_FALSE(cxtm::check_yaml_text(std::string(64, '[') + std::string(64, ']')));
    const auto wide = cxtm::check_yaml_text("a: 1\nb: 2\nc: 3\n", {.max_nodes = 4});
    REQUIRE(wide);
    CHECK(wide->over_limit);
    CHECK(wide->line == 2);
    CHECK(wide->problem == "has more than 4 nodes");
    CHECK_FALSE(cxtm::check_yaml_text("a: 1\nb: 2\nc: 3\n", {.max_nodes = 7}));
    // A syntax error is not a limit.
    CHECK_FALSE(cxtm::check_yaml_text(",a\n")->over_limit);
  }
}

}  // namespace test_core_yaml_syntax
