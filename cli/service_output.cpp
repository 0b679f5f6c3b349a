#include "cli/service_output.h"

#include <fmt/core.h>

#include "cli/validate_output.h"

namespace cxtm::cli {

void print_exact_previews(const std::vector<actions::ServiceResult>& results, std::FILE* stream) {
  for (const auto& result : results) {
    if (result.original_location.empty()) continue;
    if (!result.copies_differ.empty()) {
      fmt::print(stream, "{}: the two stored copies of the original differ:\n{}", result.service,
                 result.copies_differ);
      continue;
    }
    if (!result.unverified_template.empty()) {
      fmt::print(stream, "{}: UNVERIFIED original {} (the cluster's copy alone), in full:\n{}",
                 result.service, result.original_location, result.unverified_template);
    }
    if (result.taken_away.empty()) {
      fmt::print(stream, "{}: the original takes away nothing beyond the tool's change\n",
                 result.service);
    } else {
      fmt::print(stream, "{}: what the original takes away beyond the tool's change:\n{}",
                 result.service, result.taken_away);
    }
  }
}

void print_service_run(const actions::ServiceRun& run, print::Printing printing, Duration elapsed,
                       Diffs diffs) {
  if (printing.format != print::Format::text) {
    fmt::print("{}", print::format_document(run.to_json(), printing.format));
    return;
  }
  const auto& results = run.results;
  const bool show_diff = diffs == Diffs::always || run.dry_run;
  // The --exact preview (on a terminal it was shown before the question too).
  print_exact_previews(results, stdout);
  for (const auto& result : results) {
    if (show_diff && !result.diff.empty()) fmt::print("{}", result.diff);
    // A service that failed is an error: one line on stderr in the usual form, its details after.
    const bool failed = result.code != ExitCode::ok;
    std::FILE* stream = failed ? stderr : stdout;
    fmt::print(stream, "{}{} ({}): {}\n", failed ? "cxtm-o11y: error: " : "", result.service,
               result.deployment, result.message);
    for (const auto& warning : result.warnings) fmt::print(stream, "  warning: {}\n", warning);
    for (const auto& note : result.notes) fmt::print(stream, "  note: {}\n", note);
    for (const auto& note : result.left_alone) fmt::print(stream, "  left alone: {}\n", note);
    if (result.rollout && failed) {
      for (const auto& problem : result.rollout->problems) {
        fmt::print(stream, "  {}\n", problem.summary());
      }
    }
    for (const auto& tail : result.log_tails) fmt::print(stream, "  --- log of {}\n", tail);
  }
  // A fleet's outcome in one line, on stderr beside the progress: stdout keeps a line per
  // service for scripts.
  if (results.size() > 1) {
    fmt::print(stderr, "{} ({} services in {})\n", actions::summarize(results), results.size(),
               format_duration(elapsed));
  }
  if (run.validation) {
    fmt::print("\nvalidation of the instrumented services:\n{}",
               validate_report_text(*run.validation, printing.colour));
    // The change stays: the pods run it, and what check 5 found is fixed in the app or its pod
    // spec, not by taking the instrumentation away. A failed rollout was rolled back already.
    for (const auto& service : run.not_traced()) {
      fmt::print(stderr,
                 "cxtm-o11y: error: {}: instrumented, but not proven traced (check 5 above); the "
                 "change stays in place: fix what check 5 names and run validate {}, or undo it: "
                 "cxtm-o11y rollback {}\n",
                 service, service, service);
    }
  }
}

}  // namespace cxtm::cli
