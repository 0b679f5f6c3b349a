// The generators on a small hand-made tree; test_cli_docs.cpp checks the real one against
// --help.
#include <doctest/doctest.h>

#include "manual/command_doc.h"
#include "support/text.h"

namespace test_manual_command_doc {

using namespace cxtm::manual;
using cxtm::testing::contains;

namespace {

CommandDoc tree() {
  CommandDoc root{.description = "tool: does things.\nSecond line.",
                  .footer = "Exit 0 on success."};
  OptionDoc output{.names = {"-o", "--output"}, .value_text = "text|json", .description = "Format"};
  output.kind = value_kind(output.value_text, output.choices);
  root.options.push_back(output);
  root.options.push_back({.names = {"--verbose"}, .description = "Say more"});
  CommandDoc lint{.path = {"lint"},
                  .description = "Lint files: it's quick",
                  .footer = "Examples:\n  tool lint a.yaml\n.starts with a dot\n"};
  OptionDoc files{.names = {"files"},
                  .value_text = "FILE",
                  .description = "Files \\ to lint",
                  .positional = true,
                  .repeats = true};
  files.kind = value_kind(files.value_text, files.choices);
  lint.options.push_back(files);
  root.commands.push_back(lint);
  return root;
}

}  // namespace

TEST_SUITE("manual/command_doc") {
  TEST_CASE("value kinds come from the value text --help shows") {
    std::vector<std::string> choices;
    CHECK(value_kind("text|json|yaml", choices) == ValueKind::choice);
    CHECK(choices == std::vector<std::string>{"text", "json", "yaml"});
    CHECK(value_kind("FILE", choices) == ValueKind::file);
    CHECK(choices.empty());
    CHECK(value_kind("PATH", choices) == ValueKind::file);
    CHECK(value_kind("DIR", choices) == ValueKind::directory);
    CHECK(value_kind("DUR", choices) == ValueKind::text);
    CHECK(value_kind("", choices) == ValueKind::none);
  }

  TEST_CASE("bash: tables keyed by command path, quoted for the shell") {
    const std::string script = bash_completion(tree(), "tool", {"kubectl-tool"});
    CHECK(contains(script, "  ['@']='lint'\n"));
    CHECK(contains(script, "  ['@']='-o --output --verbose'\n"));
    CHECK(contains(script, "  ['@:-o']='text json'\n"));
    CHECK(contains(script, "  ['@ lint']='@file'\n"));
    CHECK(contains(script, "complete -F _tool tool kubectl-tool\n"));
  }

  TEST_CASE("zsh: descriptions with quotes survive") {
    const std::string script = zsh_completion(tree(), "tool", {"kubectl-tool"});
    CHECK(script.starts_with("#compdef tool kubectl-tool\n"));
    CHECK(contains(script, "  ['@ lint']='Lint files: it'\\''s quick'\n"));
    CHECK(contains(script, "compdef _tool tool kubectl-tool"));
  }

  TEST_CASE("man: roff escapes, options, examples kept as typed") {
    const std::string page = man_page(tree(), "tool", "1.2.3");
    CHECK(contains(page, ".TH TOOL 1 \"\" \"tool 1.2.3\" \"User Commands\"\n"));
    CHECK(contains(page, ".SH NAME\ntool \\- does things.\n"));
    CHECK(contains(page, "\\fB\\-o\\fR, \\fB\\-\\-output\\fR \\fItext|json\\fR\nFormat\n"));
    CHECK(contains(page, ".SS \"tool lint\"\n"));
    CHECK(contains(page, "\\fIfiles\\fR ...\nFiles \\e to lint\n"));
    CHECK(contains(page, ".nf\nExamples:\n  tool lint a.yaml\n\\&.starts with a dot\n"));
    CHECK(contains(page, ".SH EXIT STATUS\nExit 0 on success.\n"));
  }
}

}  // namespace test_manual_command_doc
