#include <fmt/core.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <iostream>

#include "actions/change_awareness.h"
#include "actions/gitops.h"
#include "actions/rollback.h"
#include "actions/services.h"
#include "cli/commands.h"
#include "cli/detailed_exitcode.h"
#include "cli/interrupt.h"
#include "cli/service_output.h"
#include "cli/service_selection.h"

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
    ServiceSelection selection;
    bool dry_run = false;
    bool wait = true;
    std::string timeout = "5m";
    std::string poll_interval = "2s";
    std::string from;
    bool exact = false;
    bool yes = false;
    int parallel = 0;
    std::string output_dir;
    bool detailed_exitcode = false;
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
  add_service_selection(*command, flags->selection);
  command->add_flag("--dry-run", flags->dry_run, "Print the diff; write nothing");
  add_wait_flags(*command, flags->wait, "the rollout");
  add_timeout_option(*command, flags->timeout, "How long to wait per service");
  add_poll_interval_flag(*command, flags->poll_interval);
  command->add_flag("--exact", flags->exact,
                    "Restore the stored original's pod template in full, undoing every change "
                    "since");
  command->add_option("--from", flags->from, "Like --exact, from this backup file")
      ->option_text("FILE");
  command->add_flag("--yes", flags->yes, "Do not ask before --exact or --from writes");
  command
      ->add_option("--parallel", flags->parallel,
                   "Services rolled back at once (default: all, up to 64, in one wave)")
      ->check(CLI::Range(1, 256))
      ->option_text("N");
  command
      ->add_option("--output-dir", flags->output_dir,
                   "Remove the services' kustomize patches and entries from DIR instead of "
                   "changing the cluster (GitOps)")
      ->option_text("DIR");
  add_detailed_exitcode_flag(*command, flags->detailed_exitcode);
  command->callback([flags, &global, &outcome] {
    require_dry_run(flags->detailed_exitcode, flags->dry_run);
    if (!flags->output_dir.empty()) {
      if (flags->exact || !flags->from.empty()) {
        throw Error(ExitCode::usage,
                    "--output-dir removes the patches from Git; --exact and --from restore a "
                    "backup in the cluster: choose one");
      }
      // The cluster is read only for -l.
      auto session = global.session();
      const auto services = selected_services(*session, flags->selection);
      const auto results = actions::rollback_in_git(
          session->config, services, {.output_dir = flags->output_dir, .dry_run = flags->dry_run});
      print_service_results(results, global.printing(), global.elapsed(), /*show_diff=*/true);
      outcome.code = actions::combined_code(results);
      outcome.changes_pending = actions::changes_pending(results);
      return;
    }
    const Duration timeout = parse_timeout(flags->timeout);
    const Duration poll_interval = parse_poll_interval(flags->poll_interval);
    auto session = global.session();
    const auto services = selected_services(*session, flags->selection);
    if (!flags->from.empty() && services.size() != 1) {
      throw Error(ExitCode::usage, "--from restores one service: name exactly one");
    }
    const bool exact = flags->exact || !flags->from.empty();
    const bool ask = exact && !flags->dry_run && !flags->yes;
    if (ask && !stdin_is_terminal()) {
      throw Error(ExitCode::usage,
                  fmt::format("{} writes the stored original over every change made since: "
                              "see it with --dry-run, then add --yes (standard input is not a "
                              "terminal to ask on)",
                              flags->from.empty() ? "--exact" : "--from"));
    }
    // Splunk hears of it: the detectors muted first (when asked), an event per change after.
    actions::ChangeAwareness splunk(session->context, "rollback");
    if (!flags->dry_run) splunk.before(services);
    install_interrupt_handlers();
    const auto results = actions::rollback_services(
        session->context, session->stores(), services,
        {.dry_run = flags->dry_run,
         .wait = flags->wait,
         .timeout = timeout,
         .poll_interval = poll_interval,
         .exact = exact,
         .from_file = flags->from,
         .parallel = flags->parallel,
         .interrupted = interrupted,
         .confirm = ask ? std::function<bool(const std::vector<actions::ServiceResult>&)>(
                              [](const auto& previews) { return confirm_exact(previews); })
                        : nullptr});
    if (!flags->dry_run) splunk.after(actions::service_changes("rollback", results));
    // What changed (or would): the pod template's diff, as the issue asks a rollback to show.
    print_service_results(results, global.printing(), global.elapsed(), /*show_diff=*/true);
    outcome.code = actions::combined_code(results);
    outcome.changes_pending = actions::changes_pending(results);
  });
}

}  // namespace cxtm::cli
