#include <doctest/doctest.h>

#include <vector>

#include "lint/finding.h"

namespace test_lint_finding {

using cxtm::lint::Finding;
using cxtm::lint::Severity;

namespace {

Finding make(std::string file, int line, std::string rule, Severity severity = Severity::error) {
  return Finding{.file = std::move(file),
                 .line = line,
                 .column = 3,
                 .rule_id = std::move(rule),
                 .severity = severity,
                 .message = "m"};
}

}  // namespace

TEST_SUITE("lint/finding") {
  TEST_CASE("a finding prints as file:line: severity rule-id: message") {
    Finding finding = make("relay.yaml", 12, "memory-limiter-check-interval");
    finding.message = "processors.memory_limiter has no check_interval";
    CHECK(cxtm::lint::format_finding(finding) ==
          "relay.yaml:12: error memory-limiter-check-interval: processors.memory_limiter has no "
          "check_interval");
    finding.severity = Severity::warning;
    CHECK(cxtm::lint::format_finding(finding).starts_with("relay.yaml:12: warning "));
  }

  TEST_CASE("the JSON schema is file, line, column, rule, severity, message in that order") {
    const Finding finding = make("out.yaml", 7, "inline-token", Severity::warning);
    CHECK(cxtm::lint::to_json(finding).dump() ==
          R"({"file":"out.yaml","line":7,"column":3,"rule":"inline-token","severity":"warning",)"
          R"("message":"m"})");
    const auto array = cxtm::lint::to_json(std::vector<Finding>{finding, finding});
    REQUIRE(array.is_array());
    CHECK(array.size() == 2);
    CHECK(cxtm::lint::to_json(std::vector<Finding>{}).dump() == "[]");
  }

  TEST_CASE("only errors fail a lint") {
    CHECK_FALSE(cxtm::lint::has_errors({}));
    CHECK_FALSE(cxtm::lint::has_errors({make("a", 1, "missing-batch", Severity::warning)}));
    CHECK(cxtm::lint::has_errors(
        {make("a", 1, "missing-batch", Severity::warning), make("a", 2, "sapm-removed")}));
  }

  TEST_CASE("findings sort by file, then line, then rule") {
    std::vector<Finding> findings = {make("b.yaml", 1, "a-rule"), make("a.yaml", 9, "z-rule"),
                                     make("a.yaml", 9, "b-rule"), make("a.yaml", 2, "z-rule")};
    cxtm::lint::sort_findings(findings);
    CHECK(findings == std::vector<Finding>{make("a.yaml", 2, "z-rule"), make("a.yaml", 9, "b-rule"),
                                           make("a.yaml", 9, "z-rule"),
                                           make("b.yaml", 1, "a-rule")});
  }
}

}  // namespace test_lint_finding
