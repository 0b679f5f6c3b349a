// cxtm-o11y: the table of contents. Each subcommand lives in cmd_<verb>.cpp.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <string_view>

#include "cli/commands.h"
#include "cli/context_fan_out.h"
#include "cli/detailed_exitcode.h"
#include "cli/global_options.h"
#include "cli/portable_runtime.h"
#include "core/error.h"
#include "core/one_line.h"
#include "core/redact.h"
#include "core/secret_env.h"

int main(int argc, char** argv) {
  using namespace cxtm;
  // The version alone needs no command tree (what runbooks and packaging checks call most).
  if (argc == 2 && std::string_view(argv[1]) == "--version") {
    fmt::print("cxtm-o11y {}\n", CXTM_VERSION);
    return 0;
  }
  cli::prepare_portable_runtime();
  if (const auto code = cli::fan_out_over_contexts(argc, argv)) return *code;
  take_known_secrets();  // before any child process starts: none inherits a token
  const bool detailed = cli::asks_detailed_exitcode(argc, argv);
  // Named, so that usage lines say "cxtm-o11y", not the path it was started by.
  CLI::App app{
      "cxtm-o11y: bring Python services on Kubernetes into Splunk Observability Cloud.\n"
      "Renders and deploys the OpenTelemetry Collector, instruments services without code "
      "changes, validates that traces arrive, and rolls back exactly.",
      "cxtm-o11y"};
  app.set_version_flag("--version", std::string("cxtm-o11y ") + CXTM_VERSION);
  // A usage error is one line in the form of every other error.
  app.failure_message([](const CLI::App*, const CLI::Error& error) {
    return fmt::format("cxtm-o11y: error: {} (see --help)\n", one_line(error.what(), 2000));
  });
  app.require_subcommand(1);
  app.fallthrough();  // global flags may also follow the subcommand, as with kubectl
  app.footer(
      "Exit codes: 0 ok, 1 a check or operation failed, 2 usage or config error, "
      "3 kubectl or cluster unreachable, 4 not found, 5 forbidden, 6 conflict, "
      "7 timeout, 8 API error, 130 interrupted; with --detailed-exitcode: 0 nothing to do, "
      "1 error, 2 changes pending. Every command: cxtm-o11y COMMAND --help, man cxtm-o11y.");

  cli::GlobalOptions global;
  cli::CommandOutcome outcome;
  cli::add_global_flags(app, global);
  cli::setup_render(app, global, outcome);
  cli::setup_lint(app, global, outcome);
  cli::setup_collector(app, global, outcome);
  cli::setup_instrument(app, global, outcome);
  cli::setup_rollback(app, global, outcome);
  cli::setup_status(app, global, outcome);
  cli::setup_backup(app, global, outcome);
  cli::setup_validate(app, global, outcome);
  cli::setup_dashboards(app, global, outcome);
  cli::setup_plan(app, global, outcome);
  cli::setup_completion(app, outcome);
  cli::setup_man(app, outcome);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    if (code == 0) return 0;
    return detailed ? 1 : static_cast<int>(ExitCode::usage);
  } catch (const Error& e) {
    fmt::print(stderr, "cxtm-o11y: error: {}\n", one_line(redact(e.what()), 2000));
    return detailed ? 1 : static_cast<int>(e.code());
  } catch (const std::exception& e) {
    // A fault of the tool's own, not of the input or the cluster: one line, not an abort.
    fmt::print(stderr, "cxtm-o11y: error: internal error (please report it): {}\n",
               one_line(redact(e.what()), 2000));
    return 1;
  }
  if (detailed) return cli::detailed_exit_code(outcome.code, outcome.changes_pending);
  return static_cast<int>(outcome.code);
}
