#pragma once
// One setup function per subcommand (cmd_<verb>.cpp): it binds flags to an options struct and
// registers the callback that runs the action and prints the result.

#include <CLI/CLI.hpp>

#include "cli/global_options.h"
#include "core/duration.h"

namespace cxtm::cli {

void setup_render(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);
void setup_lint(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);
void setup_collector(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);
void setup_instrument(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);
void setup_rollback(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);
void setup_status(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);
void setup_backup(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);

// --timeout's value; Error(usage) naming the flag when it is not a positive duration.
Duration parse_timeout(const std::string& text);

}  // namespace cxtm::cli
