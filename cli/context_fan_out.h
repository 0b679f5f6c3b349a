#pragma once
// `--context a,b,c` (or a config with `contexts:` and no --context): the command runs once per
// context, side by side, as this same binary with --context=<one>; each line it prints is
// prefixed with its context, then one summary table follows (-o json/yaml: one document with
// each context's), and the exit code is the worst (actions/fan_out.h).

#include <optional>

namespace cxtm::cli {

// The exit code when the command line fans out (after the runs), nullopt when it does not.
// Runs before secrets are taken from the environment: the runs need them.
std::optional<int> fan_out_over_contexts(int argc, char** argv);

}  // namespace cxtm::cli
