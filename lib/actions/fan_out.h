#pragma once
// One command over several kubeconfig contexts (`--context a,b,c`, or every `contexts:` entry of
// the config): the command line each context's run gets, and the exit code of them all. Pure;
// the runs themselves are cli/context_fan_out.cpp's.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxtm::actions {

// The value of the first of names in argv ("--context a", "--context=a"; a short name also as
// "-cFILE"), or nullopt. argv[0] is the program.
std::optional<std::string> flag_value(const std::vector<std::string>& argv,
                                      const std::vector<std::string_view>& names);

// "a,b, c" -> {"a", "b", "c"}; Error(usage) for an empty name.
std::vector<std::string> split_contexts(std::string_view value);

// argv with its --context (any form) replaced by --context=<context>, or with it added.
std::vector<std::string> argv_for_context(const std::vector<std::string>& argv,
                                          std::string_view context);

// The exit code of several runs: detailed (--detailed-exitcode) 1 if any run had 1, else 2 if
// any had 2, else 0; otherwise the highest code (130 interrupted above 8 API error ... above 1).
int worst_exit_code(const std::vector<int>& codes, bool detailed);

}  // namespace cxtm::actions
