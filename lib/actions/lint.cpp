#include "actions/lint.h"

#include <algorithm>

#include "core/bounded_input.h"
#include "lint/collector_lint.h"
#include "render/manifests.h"

namespace cxtm::actions {

size_t LintReport::errors() const {
  return static_cast<size_t>(
      std::count_if(findings.begin(), findings.end(),
                    [](const lint::Finding& f) { return f.severity == lint::Severity::error; }));
}

Json LintReport::to_json() const {
  return {{"findings", lint::to_json(findings)}, {"errors", errors()}, {"warnings", warnings()}};
}

LintReport run_lint(const LintInputs& inputs) {
  const lint::LintOptions options{.realm = inputs.realm};
  LintReport report;
  const auto add = [&](const std::vector<lint::Finding>& found) {
    report.findings.insert(report.findings.end(), found.begin(), found.end());
  };
  if (inputs.config != nullptr) {
    lint::LintOptions rendered = options;
    rendered.collector_version = config::parse_collector_version(inputs.config->collector.version);
    add(lint::lint_collector_config(render::render_collector_config(*inputs.config),
                                    "relay.yaml (rendered from " + inputs.config->source + ")",
                                    rendered));
  }
  const std::size_t max_bytes = max_input_bytes();
  for (const auto& file : inputs.files) {
    add(lint::lint_collector_config(read_input(file, max_bytes), file == "-" ? "<stdin>" : file,
                                    options));
  }
  lint::sort_findings(report.findings);
  return report;
}

}  // namespace cxtm::actions
