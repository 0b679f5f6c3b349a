// The completion scripts and the man page list every command, option and positional that
// --help shows, for every command: all three come from the same definitions.
#include <doctest/doctest.h>

#include <sstream>

#include "support/cli_runner.h"

namespace test_cli_docs {

using cxtm::testing::run_cli;

namespace {

struct HelpPage {
  std::vector<std::string> options;  // "-c", "--config", ...
  std::vector<std::string> positionals;
  std::vector<std::string> commands;
};

// Reads the sections of CLI11's help output.
HelpPage read_help(const std::vector<std::string>& path) {
  std::vector<std::string> arguments = path;
  arguments.push_back("--help");
  const auto result = run_cli(arguments);
  REQUIRE(result.exit_code == 0);
  HelpPage page;
  std::istringstream lines(result.out);
  std::string line;
  std::string section;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] != ' ') {
      section = line;
      continue;
    }
    // An entry starts two spaces in; deeper lines continue a long entry's description.
    if (line.size() < 3 || line[1] != ' ' || line[2] == ' ') continue;
    std::istringstream words(line);
    std::string first;
    words >> first;
    if (section == "Options:") {
      std::istringstream names(first);
      std::string name;
      while (std::getline(names, name, ',')) {
        page.options.push_back(name.substr(0, name.find('{')));  // "--no-wait{false}"
      }
    } else if (section == "Positionals:") {
      page.positionals.push_back(first);
    } else if (section == "Subcommands:") {
      page.commands.push_back(first);
    }
  }
  return page;
}

// The value of key in the shell table `name=( ... )` of script.
std::string table_row(const std::string& script, const std::string& table, const std::string& key) {
  const size_t start = script.find(table + "=(\n");
  REQUIRE(start != std::string::npos);
  const std::string prefix = "  ['" + key + "']='";
  const size_t row = script.find(prefix, start);
  REQUIRE_MESSAGE(row != std::string::npos, table << " has no row for " << key);
  const size_t end = script.find("'\n", row + prefix.size());
  return " " + script.substr(row + prefix.size(), end - row - prefix.size()) + " ";
}

std::string roff(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '-' ? std::string("\\-") : std::string(1, c);
  return out;
}

// The man page's section for a command: from its .SS heading to the next heading.
std::string man_section(const std::string& page, const std::vector<std::string>& path) {
  std::string heading = path.empty() ? ".SH GLOBAL OPTIONS\n" : ".SS \"cxtm\\-o11y";
  for (const auto& name : path) heading += " " + roff(name);
  if (!path.empty()) heading += "\"\n";
  const size_t start = page.find(heading);
  REQUIRE_MESSAGE(start != std::string::npos, "no man section " << heading);
  size_t end = page.find("\n.S", start + heading.size());
  return page.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

void check_command(const std::vector<std::string>& path, const std::string& bash,
                   const std::string& zsh, const std::string& man) {
  std::string key = "@";
  for (const auto& name : path) key += " " + name;
  CAPTURE(key);
  const HelpPage help = read_help(path);
  const std::string section = man_section(man, path);
  for (const std::string& option : help.options) {
    CAPTURE(option);
    if (!path.empty() && (option == "-h" || option == "--help")) continue;  // the program's
    for (const std::string* script : {&bash, &zsh}) {
      CHECK(table_row(*script, "_cxtm_o11y_options", key).find(" " + option + " ") !=
            std::string::npos);
    }
    CHECK(section.find("\\fB" + roff(option) + "\\fR") != std::string::npos);
  }
  for (const std::string& positional : help.positionals) {
    CAPTURE(positional);
    CHECK(section.find("\\fI" + roff(positional) + "\\fR") != std::string::npos);
    CHECK(bash.find("_cxtm_o11y_positionals=(") != std::string::npos);
    table_row(bash, "_cxtm_o11y_positionals", key);
  }
  for (const std::string& command : help.commands) {
    CAPTURE(command);
    for (const std::string* script : {&bash, &zsh}) {
      CHECK(table_row(*script, "_cxtm_o11y_commands", key).find(" " + command + " ") !=
            std::string::npos);
    }
    std::vector<std::string> sub = path;
    sub.push_back(command);
    check_command(sub, bash, zsh, man);
  }
}

}  // namespace

TEST_SUITE("cli/docs") {
  TEST_CASE("completion and man page list everything --help lists, command by command") {
    const auto bash = run_cli({"completion", "bash"});
    const auto zsh = run_cli({"completion", "zsh"});
    const auto man = run_cli({"man"});
    REQUIRE(bash.exit_code == 0);
    REQUIRE(zsh.exit_code == 0);
    REQUIRE(man.exit_code == 0);
    CHECK(bash.out.find("complete -F _cxtm_o11y cxtm-o11y kubectl-cxtm_o11y\n") !=
          std::string::npos);
    CHECK(zsh.out.starts_with("#compdef cxtm-o11y kubectl-cxtm_o11y\n"));
    CHECK(man.out.find(".TH CXTM\\-O11Y 1 ") != std::string::npos);
    check_command({}, bash.out, zsh.out, man.out);
  }

  TEST_CASE("completion refuses an unknown shell") {
    CHECK(run_cli({"completion", "fish"}).exit_code == 2);
    CHECK(run_cli({"completion"}).exit_code == 2);
  }
}

}  // namespace test_cli_docs
