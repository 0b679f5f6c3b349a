#pragma once
// Runs the built cxtm-o11y binary as a user would, for tests of exit codes and output.

#include <map>
#include <string>
#include <vector>

#include "kube/process.h"

namespace cxtm::testing {

// cxtm-o11y with arguments; environment overrides added (the rest inherited).
kube::ProcessResult run_cli(const std::vector<std::string>& arguments,
                            const std::map<std::string, std::string>& env = {},
                            const std::string& stdin_data = "");

// Number of lines in text (a last line without newline counts).
int line_count(const std::string& text);

}  // namespace cxtm::testing
