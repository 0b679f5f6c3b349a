#pragma once
// One lint finding and the two ways it leaves the process: a text line and a JSON object.
// Rule ids, the text layout and the JSON keys are part of the CLI contract.

#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace cxtm::lint {

enum class Severity { error, warning };

struct Finding {
  std::string file;
  int line = 1;    // 1-based, in `file`
  int column = 1;  // 1-based
  std::string rule_id;
  Severity severity = Severity::error;
  std::string message;  // never contains a secret value

  bool operator==(const Finding&) const = default;
};

// "error" or "warning".
std::string_view severity_name(Severity severity);

// "file:line: severity rule-id: message", e.g.
// "relay.yaml:12: error memory-limiter-check-interval: processors.memory_limiter has no ...".
std::string format_finding(const Finding& finding);

// {"file","line","column","rule","severity","message"}, always these keys in this order.
Json to_json(const Finding& finding);
// A JSON array of to_json(finding), in the given order.
Json to_json(const std::vector<Finding>& findings);

// True when any finding is an error (warnings alone do not fail a lint).
bool has_errors(const std::vector<Finding>& findings);

// Orders by file, line and rule id; column and message break ties so the order is total.
void sort_findings(std::vector<Finding>& findings);

}  // namespace cxtm::lint
