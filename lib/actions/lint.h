#pragma once
// `cxtm-o11y lint [FILE...]`: the collector config the tool would deploy (rendered from the
// config, checked against its collector release), and any collector configs or ConfigMaps the
// user names ("-" is stdin), linted and sorted.

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/json.h"
#include "lint/finding.h"

namespace cxtm::actions {

struct LintInputs {
  const config::Config* config = nullptr;  // lint what it renders; nullptr: files only
  std::vector<std::string> files;          // read in full, bounded by max_input_bytes()
  std::optional<std::string> realm;        // exporter endpoints must use it
};

struct LintReport {
  std::vector<lint::Finding> findings;  // sorted
  size_t errors() const;
  size_t warnings() const { return findings.size() - errors(); }
  // {"findings": [...], "errors": N, "warnings": N}
  Json to_json() const;
};

LintReport run_lint(const LintInputs& inputs);

}  // namespace cxtm::actions
