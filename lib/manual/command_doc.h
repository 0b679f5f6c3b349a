#pragma once
// The command tree as --help shows it (names, options, values, descriptions, examples), and what
// is generated from it: bash and zsh completion scripts and the man page. The CLI builds the
// tree from its CLI11 definitions (cli/command_tree.cpp), so the three agree with --help by
// construction.

#include <string>
#include <string_view>
#include <vector>

namespace cxtm::manual {

// What an option's value is, for completion.
enum class ValueKind {
  none,  // a flag: no value
  text,  // free text: nothing to offer
  file,  // a file name
  directory,
  choice,  // one of `choices`
};

struct OptionDoc {
  std::vector<std::string> names;  // "-o", "--output"; for a positional, its name alone
  std::string value_text;          // as --help shows it: "FILE", "text|json|yaml"; "" for a flag
  std::string description;
  ValueKind kind = ValueKind::none;
  std::vector<std::string> choices;
  bool positional = false;
  bool repeats = false;  // positional that takes any number of values
};

struct CommandDoc {
  std::vector<std::string> path;  // {} for the program, {"collector", "deploy"}
  std::string description;
  std::string footer;              // examples and notes, as --help prints them
  std::vector<OptionDoc> options;  // its own options and positionals (inherited ones: the root's)
  std::vector<CommandDoc> commands;

  // "collector deploy"; "" for the program.
  std::string path_text() const;
};

// The value kind --help's value text implies: "a|b|c" is a choice, FILE and PATH a file, DIR a
// directory, anything else free text.
ValueKind value_kind(std::string_view value_text, std::vector<std::string>& choices);

// `source <(cxtm-o11y completion bash)`, or installed as bash-completion/completions/<program>.
// Completes commands, options, choice values, and files where a value or positional is a file.
std::string bash_completion(const CommandDoc& root, std::string_view program,
                            const std::vector<std::string>& aliases);

// `source <(cxtm-o11y completion zsh)`, or installed as site-functions/_<program>.
std::string zsh_completion(const CommandDoc& root, std::string_view program,
                           const std::vector<std::string>& aliases);

// The man page (roff, section 1): every command with its options and examples.
std::string man_page(const CommandDoc& root, std::string_view program, std::string_view version);

}  // namespace cxtm::manual
