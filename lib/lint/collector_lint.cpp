#include "lint/collector_lint.h"

#include <fmt/core.h>

#include <algorithm>
#include <array>

#include "core/yaml_bounds.h"
#include "core/yaml_syntax.h"
#include "lint/collector_config.h"
#include "lint/rules.h"

namespace cxtm::lint {
namespace {

using Rule = void (*)(const CollectorConfig&, const LintOptions&, Reporter&);
constexpr std::array<Rule, 5> kRules = {check_memory_limiter, check_pipelines, check_lifecycle,
                                        check_endpoints, check_tokens};

// What every lint of one text shares.
struct Run {
  std::string_view text;
  std::string file;
  const LintOptions& options;
  std::vector<Finding>& findings;
};

void lint_config(const YAML::Node& root, const Locator& locator, Run& run) {
  Reporter reporter(run.file, locator, run.findings);
  const CollectorConfig config = read_collector_config(root, reporter);
  for (Rule rule : kRules) rule(config, run.options, reporter);
}

// A finding about the YAML itself, where the document cannot be linted.
void report_yaml_at(const YAML::Mark& mark, std::string_view rule_id, std::string message,
                    const Locator& locator, Run& run) {
  const Position position = locator.at(mark);
  run.findings.push_back(Finding{.file = run.file,
                                 .line = position.line,
                                 .column = position.column,
                                 .rule_id = std::string(rule_id),
                                 .severity = Severity::error,
                                 .message = std::move(message)});
}

void report_syntax_at(const YAML::Mark& mark, const std::string& problem, const Locator& locator,
                      Run& run) {
  report_yaml_at(mark, "yaml-syntax", "invalid YAML: " + problem, locator, run);
}

// A document within the syntax but past core/yaml_syntax.h's or core/yaml_bounds.h's limits.
void report_limit_at(const YAML::Mark& mark, const std::string& problem, const Locator& locator,
                     Run& run) {
  report_yaml_at(mark, "yaml-limits", "the YAML " + problem, locator, run);
}

void report_syntax(const YAML::Exception& error, const Locator& locator, Run& run) {
  report_syntax_at(error.mark, error.msg, locator, run);
}

// libyaml's verdict on text (core/yaml_syntax.h): a syntax error, or a document too deep or too
// big to build; true when it found one and reported it.
bool report_text_problem(std::string_view text, const Locator& locator, Run& run) {
  const auto problem = check_yaml_text(text);
  if (!problem) return false;
  YAML::Mark mark;
  mark.line = problem->line - 1;
  mark.column = problem->column - 1;
  if (problem->over_limit) {
    report_limit_at(mark, problem->problem, locator, run);
  } else {
    report_syntax_at(mark, problem->problem, locator, run);
  }
  return true;
}

// A document no rule may walk (core/yaml_bounds.h); true when it was reported.
bool report_out_of_bounds(const YAML::Node& document, const Locator& locator, Run& run) {
  const auto problem = yaml_bounds_problem(document);
  if (!problem) return false;
  report_limit_at(document.Mark(), *problem, locator, run);
  return true;
}

void report_no_config(std::string message, Run& run) {
  run.findings.push_back(Finding{.file = run.file,
                                 .rule_id = "no-collector-config",
                                 .severity = Severity::error,
                                 .message = std::move(message)});
}

bool is_kubernetes_object(const YAML::Node& document) {
  return find_entry(document, "apiVersion") && find_entry(document, "kind");
}

std::string kind_of(const YAML::Node& object) {
  const auto kind = find_entry(object, "kind");
  return kind && kind->value.IsScalar() ? kind->value.Scalar() : "";
}

// Lints every ConfigMap data value that is a collector config, looking into Lists; returns how
// many it found. A value that fails to parse counts when it mentions pipelines: it was meant to
// be one, and the collector would fail on it the same way.
int lint_object(const YAML::Node& object, Run& run) {
  if (kind_of(object) == "List") {
    const auto items = find_entry(object, "items");
    int found = 0;
    if (items && items->value.IsSequence()) {
      for (const YAML::Node& item : items->value) found += lint_object(item, run);
    }
    return found;
  }
  const auto data = find_entry(object, "data");
  if (kind_of(object) != "ConfigMap" || !data || !data->value.IsMap()) return 0;
  int found = 0;
  for (const auto& entry : data->value) {
    if (!entry.second.IsScalar()) continue;
    const Locator locator = Locator::inside_scalar(run.text, entry.first, entry.second);
    if (check_yaml_text(entry.second.Scalar())) {
      if (entry.second.Scalar().find("pipelines:") == std::string::npos) continue;
      report_text_problem(entry.second.Scalar(), locator, run);
      ++found;
      continue;
    }
    YAML::Node root;
    try {
      root = YAML::Load(entry.second.Scalar());
    } catch (const YAML::Exception& error) {
      if (entry.second.Scalar().find("pipelines:") == std::string::npos) continue;
      report_syntax(error, locator, run);
      ++found;
      continue;
    }
    if (report_out_of_bounds(root, locator, run)) {
      ++found;
      continue;
    }
    if (!is_collector_config(root)) continue;
    lint_config(root, locator, run);
    ++found;
  }
  return found;
}

void lint_stream(const std::vector<YAML::Node>& documents, Run& run) {
  int found = 0;
  for (const YAML::Node& document : documents) {
    if (is_kubernetes_object(document)) found += lint_object(document, run);
  }
  if (found == 0) {
    report_no_config(
        "no ConfigMap in this stream holds a collector config (a data value such "
        "as relay.yaml with service.pipelines)",
        run);
  }
}

// A file that is the collector config itself: every document is linted as one.
void lint_documents(const std::vector<YAML::Node>& documents, Run& run) {
  int found = 0;
  for (const YAML::Node& document : documents) {
    if (document.IsNull()) continue;
    ++found;
    if (!document.IsMap()) {
      report_no_config(
          "expected a collector config (a mapping with receivers, processors, "
          "exporters and service) or Kubernetes objects",
          run);
      continue;
    }
    lint_config(document, Locator(), run);
  }
  if (found == 0) report_no_config("the file is empty: there is no collector config to lint", run);
}

}  // namespace

std::vector<Finding> lint_collector_config(std::string_view text, std::string_view file_name,
                                           const LintOptions& options) {
  std::vector<Finding> findings;
  Run run{.text = text, .file = std::string(file_name), .options = options, .findings = findings};
  if (report_text_problem(text, Locator(), run)) return findings;
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& error) {
    report_syntax(error, Locator(), run);
    return findings;
  }
  bool out_of_bounds = false;
  for (const YAML::Node& document : documents) {
    out_of_bounds = report_out_of_bounds(document, Locator(), run) || out_of_bounds;
  }
  if (out_of_bounds) return findings;
  const bool is_stream = std::any_of(documents.begin(), documents.end(), is_kubernetes_object);
  if (is_stream) {
    lint_stream(documents, run);
  } else {
    lint_documents(documents, run);
  }
  sort_findings(findings);
  return findings;
}

}  // namespace cxtm::lint
