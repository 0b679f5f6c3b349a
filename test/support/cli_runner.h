#pragma once
// Runs the built cxtm-o11y binary as a user would, for tests of exit codes and output.

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "kube/process.h"

namespace cxtm::testing {

// The start of every error line the binary prints (README "Exit codes").
inline const std::string kErrorPrefix = "cxtm-o11y: error: ";

// The cxtm-o11y the tests run: the one $CXTM_TEST_BINARY names when set (as the test presets
// full and integration set it: the portable build's, the binary that ships), else this build's.
const std::string& binary_under_test();

// cxtm-o11y with arguments; environment overrides added (the rest inherited).
kube::ProcessResult run_cli(const std::vector<std::string>& arguments,
                            const std::map<std::string, std::string>& env = {},
                            const std::string& stdin_data = "");

// Runs argv with the environment overrides and sends the process SIGINT (as Ctrl-C would, but
// not to the children it runs) once `when` holds; `when` is polled, for a minute at most.
// scratch_dir holds the pid file the shell that starts it writes.
kube::ProcessResult run_interrupted(const std::vector<std::string>& argv,
                                    const std::map<std::string, std::string>& env,
                                    const std::filesystem::path& scratch_dir,
                                    const std::function<bool()>& when);

// Number of lines in text (a last line without newline counts).
int line_count(const std::string& text);

}  // namespace cxtm::testing
