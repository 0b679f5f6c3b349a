#pragma once
// The docs model (docs/command_doc.h) read off the CLI11 definitions, so that completion and the
// man page list exactly what --help lists.

#include <CLI/CLI.hpp>

#include "manual/command_doc.h"

namespace cxtm::cli {

// The program's name everywhere it is documented, and its kubectl plugin name.
inline constexpr std::string_view kProgram = "cxtm-o11y";
inline constexpr std::string_view kKubectlPlugin = "kubectl-cxtm_o11y";

// app and its visible subcommands; hidden ones (no group) and the help flags are left out.
manual::CommandDoc describe(const CLI::App& app);

}  // namespace cxtm::cli
