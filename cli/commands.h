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
// `collector upgrade` and `collector rotate-token` (cmd_collector_operations.cpp), under the
// collector command.
void setup_collector_upgrade(CLI::App& collector, const GlobalOptions& global,
                             CommandOutcome& outcome);
void setup_collector_rotate_token(CLI::App& collector, const GlobalOptions& global,
                                  CommandOutcome& outcome);
void setup_instrument(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);
void setup_rollback(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);
void setup_status(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);
void setup_backup(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);
void setup_validate(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);
void setup_dashboards(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);
void setup_plan(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);
// `completion bash|zsh` and `man` describe app itself: register them last.
void setup_completion(CLI::App& app, CommandOutcome& outcome);
void setup_man(CLI::App& app, CommandOutcome& outcome);

// --timeout's value; Error(usage) naming the flag when it is not a positive duration.
Duration parse_timeout(const std::string& text);

// Adds --timeout DUR bound to value (its initial value is the default --help shows).
void add_timeout_option(CLI::App& command, std::string& value, const std::string& description);

// Adds --wait (the default) and --no-wait, bound to wait; what: what is waited for.
void add_wait_flags(CLI::App& command, bool& wait, const std::string& what);

// Adds the hidden --poll-interval DUR (how often a wait looks at the rollout; default 2s) for
// tests and for API servers that should be asked less often.
void add_poll_interval_flag(CLI::App& command, std::string& value);
// --poll-interval's value; Error(usage) when it is not a positive duration.
Duration parse_poll_interval(const std::string& text);

}  // namespace cxtm::cli
