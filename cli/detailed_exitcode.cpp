#include "cli/detailed_exitcode.h"

#include <string_view>

namespace cxtm::cli {
namespace {

constexpr std::string_view kFlag = "--detailed-exitcode";

}  // namespace

void add_detailed_exitcode_flag(CLI::App& command, bool& value) {
  command.add_flag(std::string(kFlag), value,
                   "Exit 0 when there is nothing to do, 2 when changes are pending, 1 on any "
                   "error (CI drift gates; with --dry-run, or on plan)");
}

void require_dry_run(bool detailed, bool dry_run) {
  if (detailed && !dry_run) {
    throw Error(ExitCode::usage,
                "--detailed-exitcode reports a plan: use it with --dry-run (or `cxtm-o11y plan`)");
  }
}

bool asks_detailed_exitcode(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == kFlag) return true;
  }
  return false;
}

int detailed_exit_code(ExitCode code, bool changes_pending) {
  if (code != ExitCode::ok) return 1;
  return changes_pending ? 2 : 0;
}

}  // namespace cxtm::cli
