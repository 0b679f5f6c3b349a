// `completion bash|zsh` and `man`: generated from the command definitions themselves.
#include <fmt/core.h>

#include "cli/command_tree.h"
#include "cli/commands.h"
#include "manual/command_doc.h"

namespace cxtm::cli {

void setup_completion(CLI::App& app, CommandOutcome& outcome) {
  auto shell = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand("completion", "Print the shell completion script");
  command->footer(
      "Examples:\n"
      "  source <(cxtm-o11y completion bash)      # in ~/.bashrc\n"
      "  source <(cxtm-o11y completion zsh)       # in ~/.zshrc, after compinit\n"
      "The packages install both; they also complete kubectl-cxtm_o11y.");
  command->add_option("shell", *shell, "The shell")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh"}))
      ->option_text("bash|zsh");
  command->callback([shell, &app, &outcome] {
    const std::vector<std::string> aliases = {std::string(kKubectlPlugin)};
    const manual::CommandDoc doc = describe(app);
    fmt::print("{}", *shell == "bash" ? manual::bash_completion(doc, kProgram, aliases)
                                      : manual::zsh_completion(doc, kProgram, aliases));
    outcome.code = ExitCode::ok;
  });
}

void setup_man(CLI::App& app, CommandOutcome& outcome) {
  CLI::App* command = app.add_subcommand("man", "Print the manual page (roff)");
  command->footer("Examples:\n  cxtm-o11y man | man -l -\n  cxtm-o11y man > cxtm-o11y.1");
  command->callback([&app, &outcome] {
    fmt::print("{}", manual::man_page(describe(app), kProgram, CXTM_VERSION));
    outcome.code = ExitCode::ok;
  });
}

}  // namespace cxtm::cli
