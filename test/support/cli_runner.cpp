#include "support/cli_runner.h"

#include <algorithm>

namespace cxtm::testing {

kube::ProcessResult run_cli(const std::vector<std::string>& arguments,
                            const std::map<std::string, std::string>& env,
                            const std::string& stdin_data) {
  std::vector<std::string> argv = {CXTM_BINARY};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return kube::run_process({.argv = argv,
                            .stdin_data = stdin_data,
                            .timeout = std::chrono::seconds(120),
                            .env_overrides = env});
}

int line_count(const std::string& text) {
  if (text.empty()) return 0;
  return static_cast<int>(std::count(text.begin(), text.end(), '\n')) +
         (text.back() == '\n' ? 0 : 1);
}

}  // namespace cxtm::testing
