#include "cli/validate_output.h"

#include <fmt/core.h>

#include <algorithm>

namespace cxtm::cli {
namespace {

std::string seconds(Duration duration) {
  return fmt::format("{:.1f}s", static_cast<double>(duration.count()) / 1000.0);
}

// Continuation lines of a multi-line detail (a log tail) keep the detail's indentation.
std::string indented(const std::string& text, std::string_view indent) {
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    const auto end = text.find('\n', start);
    const std::string_view line =
        std::string_view(text).substr(start, end == std::string::npos ? end : end - start);
    if (!(line.empty() && end == std::string::npos && start > 0)) {
      out += fmt::format("{}{}\n", start == 0 ? indent : std::string(indent) + "  ", line);
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

print::Tone tone_of(validate::Status status) {
  switch (status) {
    case validate::Status::pass:
      return print::Tone::good;
    case validate::Status::fail:
      return print::Tone::bad;
    case validate::Status::warn:
      return print::Tone::warning;
    case validate::Status::skip:
      return print::Tone::quiet;
  }
  return print::Tone::quiet;
}

}  // namespace

std::string validate_report_text(const validate::Report& report, print::Colour colour) {
  size_t width = 5;
  for (const auto& check : report.checks) width = std::max(width, check.label().size());
  std::string out = fmt::format("{:<2} {:<{}} {:<6} {:>6}  {}\n", "#", "CHECK", width, "STATUS",
                                "TIME", "RESULT");
  for (const auto& check : report.checks) {
    out += fmt::format(
        "{:<2} {:<{}} {} {:>6}  {}\n", check.number, check.label(), width,
        print::paint_padded(validate::status_name(check.status), 6, tone_of(check.status), colour),
        seconds(check.duration), check.summary);
    if (check.status == validate::Status::pass || check.status == validate::Status::skip) {
      continue;
    }
    for (const auto& detail : check.details) out += indented(detail, "     ");
    if (!check.remedy.empty()) out += fmt::format("     remedy: {}\n", check.remedy);
  }
  std::string failed;
  for (const auto& check : report.checks) {
    if (check.status == validate::Status::fail) {
      failed += (failed.empty() ? "" : ", ") + check.label();
    }
  }
  out += fmt::format("\nverdict: {} ({} passed, {} failed{}, {} warned, {} skipped) in {}{}\n",
                     report.passed() ? print::paint("PASS", print::Tone::good, colour)
                                     : print::paint("FAIL", print::Tone::bad, colour),
                     report.count(validate::Status::pass), report.count(validate::Status::fail),
                     failed.empty() ? "" : ": " + failed, report.count(validate::Status::warn),
                     report.count(validate::Status::skip), seconds(report.duration),
                     report.trace_id.empty() ? "" : fmt::format("; trace id {}", report.trace_id));
  return out;
}

void print_validate_report(const validate::Report& report, print::Printing printing) {
  if (printing.format == print::Format::text) {
    fmt::print("{}", validate_report_text(report, printing.colour));
  } else {
    fmt::print("{}", print::format_document(report.to_json(), printing.format));
  }
}

}  // namespace cxtm::cli
