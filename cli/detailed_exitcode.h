#pragma once
// --detailed-exitcode (terraform plan's), for CI drift gates on every --dry-run: exit 0 when
// there is nothing to do, 2 when changes are pending, 1 on any error (a usage error too, so that
// a gate never reads a typo as "changes pending").

#include <CLI/CLI.hpp>

#include "core/error.h"

namespace cxtm::cli {

// Adds --detailed-exitcode bound to value.
void add_detailed_exitcode_flag(CLI::App& command, bool& value);

// Error(usage) when detailed is set without dry_run.
void require_dry_run(bool detailed, bool dry_run);

// Whether the command line asks for it, read before parsing so that a parse error maps too.
bool asks_detailed_exitcode(int argc, char** argv);

// The detailed code for a command that ended with code, changes pending or not.
int detailed_exit_code(ExitCode code, bool changes_pending);

}  // namespace cxtm::cli
