#include <fmt/core.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <iostream>

#include "actions/gitops.h"
#include "actions/rollback.h"
#include "cli/commands.h"
#include "cli/interrupt.h"
#include "cli/service_change_flags.h"
#include "cli/service_output.h"

namespace cxtm::cli {
namespace {

bool stdin_is_terminal() {
  return ::isatty(STDIN_FILENO) != 0;
}

// On a terminal: what --exact would write and take away, then one question for all services.
bool confirm_exact(const std::vector<actions::ServiceResult>& previews) {
  print_exact_previews(previews, stderr);
  fmt::print(stderr, "Restore the original of {} service{} as shown above? [y/N] ", previews.size(),
             previews.size() == 1 ? "" : "s");
  std::fflush(stderr);
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}

}  // namespace

void setup_rollback(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  struct Flags {
    ServiceChangeFlags change;
    std::string from;
    bool exact = false;
    bool yes = false;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* command = app.add_subcommand(
      "rollback", "Take out what cxtm-o11y did to services, keeping every other change since");
  command->footer(
      "Examples:\n"
      "  cxtm-o11y rollback scheduler --dry-run\n"
      "  cxtm-o11y rollback --all\n"
      "  cxtm-o11y rollback scheduler --exact --dry-run\n"
      "  cxtm-o11y rollback scheduler --from "
      "~/.local/state/cxtm-o11y/backups/c/default/cxtm-scheduler/original.json --yes\n"
      "By default the init container, volumes, mounts, variables and annotations the tool added\n"
      "come out of the live Deployment and the app's own values it replaced go back; anything\n"
      "changed since (a new image, env, resources, a sidecar) stays. No backup is read.\n"
      "--exact restores the stored original's pod template in full (the local copy; the\n"
      "cluster's only when there is no local one, shown in full as unverified), after showing\n"
      "what that takes away beyond the tool's change and asking; off a terminal it needs --yes.\n"
      "--output-dir DIR removes the patches `instrument --output-dir DIR` wrote, for Git.");
  add_service_change_flags(*command, flags->change,
                           {.dry_run = "Print the diff; write nothing",
                            .parallel = "Services rolled back at once",
                            .output_dir = "Remove the services' kustomize patches and entries "
                                          "from DIR instead of changing the cluster (GitOps)"});
  command->add_flag("--exact", flags->exact,
                    "Restore the stored original's pod template in full, undoing every change "
                    "since");
  command->add_option("--from", flags->from, "Like --exact, from this backup file")
      ->option_text("FILE");
  command->add_flag("--yes", flags->yes, "Do not ask before --exact or --from writes");
  command->callback([flags, &global, &outcome] {
    const auto change = change_options(flags->change);
    const bool exact = flags->exact || !flags->from.empty();
    const auto& output_dir = flags->change.output_dir;
    if (!output_dir.empty() && exact) {
      throw Error(ExitCode::usage,
                  "--output-dir removes the patches from Git; --exact and --from restore a "
                  "backup in the cluster: choose one");
    }
    const bool ask = exact && !change.dry_run && !flags->yes;
    if (ask && !stdin_is_terminal()) {
      throw Error(ExitCode::usage,
                  fmt::format("{} writes the stored original over every change made since: "
                              "see it with --dry-run, then add --yes (standard input is not a "
                              "terminal to ask on)",
                              flags->from.empty() ? "--exact" : "--from"));
    }
    // With --output-dir the cluster is read only for -l.
    auto session = global.session();
    const auto services = selected_services(*session, flags->change.selection);
    if (!flags->from.empty() && services.size() != 1) {
      throw Error(ExitCode::usage, "--from restores one service: name exactly one");
    }
    actions::ServiceRun run;
    if (!output_dir.empty()) {
      run = {
          .dry_run = change.dry_run,
          .results = actions::rollback_in_git(
              session->config(), services, {.output_dir = output_dir, .dry_run = change.dry_run})};
    } else {
      install_interrupt_handlers();
      run = actions::run_rollback(
          *session, services,
          {.change = change,
           .exact = exact,
           .from_file = flags->from,
           .confirm = ask ? std::function<bool(const std::vector<actions::ServiceResult>&)>(
                                [](const auto& previews) { return confirm_exact(previews); })
                          : nullptr});
    }
    // What changed (or would): the pod template's diff, as the issue asks a rollback to show.
    print_service_run(run, global.printing(), global.elapsed(), Diffs::always);
    record_outcome(run, outcome);
  });
}

}  // namespace cxtm::cli
