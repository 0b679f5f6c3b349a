#include "lint/finding.h"

#include <fmt/core.h>

#include <algorithm>
#include <tuple>

namespace cxtm::lint {

std::string_view severity_name(Severity severity) {
  return severity == Severity::error ? "error" : "warning";
}

std::string format_finding(const Finding& finding) {
  return fmt::format("{}:{}: {} {}: {}", finding.file, finding.line,
                     severity_name(finding.severity), finding.rule_id, finding.message);
}

Json to_json(const Finding& finding) {
  Json json = Json::object();
  json["file"] = finding.file;
  json["line"] = finding.line;
  json["column"] = finding.column;
  json["rule"] = finding.rule_id;
  json["severity"] = std::string(severity_name(finding.severity));
  json["message"] = finding.message;
  return json;
}

Json to_json(const std::vector<Finding>& findings) {
  Json array = Json::array();
  for (const Finding& finding : findings) array.push_back(to_json(finding));
  return array;
}

bool has_errors(const std::vector<Finding>& findings) {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding& finding) { return finding.severity == Severity::error; });
}

void sort_findings(std::vector<Finding>& findings) {
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.file, a.line, a.rule_id, a.column, a.message) <
           std::tie(b.file, b.line, b.rule_id, b.column, b.message);
  });
}

}  // namespace cxtm::lint
