#include "validate/app_log_scan.h"

#include <array>

#include "core/one_line.h"

namespace cxtm::validate {
namespace {

struct Pattern {
  std::string_view contains;
  std::string_view and_contains;  // empty: the first part alone
  std::string_view remedy;
};

// What Python 3.9+ and OpenTelemetry Python 1.41 print (sitecustomize failing: site.py;
// initialize(), _load_instrumentors and the OTLP/HTTP exporter: their logger messages).
constexpr std::array<Pattern, 7> kPatterns = {{
    {"Error in sitecustomize", "",
     "the start-up hook failed before OpenTelemetry started, and the app runs uninstrumented: "
     "start the app once with PYTHONVERBOSE=1 for the traceback (an import error in the volume "
     "or the app's own sitecustomize), fix it, then run instrument again"},
    {"Failed to auto initialize OpenTelemetry", "",
     "OpenTelemetry's start-up failed (its traceback follows in the log): often one of the app's "
     "own packages the SDK imports; the installer's kept list (cxtm-o11y status) names them"},
    {"Instrumenting of ", " failed",
     "one instrumentation failed to load: exclude it (instrumentation.exclude) or bring the "
     "library into its range, then run instrument again"},
    {"Importing of ", " failed",
     "one instrumentation could not be imported and was skipped (a compiled part built for "
     "another Python or libc): exclude it (instrumentation.exclude) or use the prebuilt image "
     "for the app's Python, then run instrument again"},
    {"DependencyConflict", "",
     "an instrumentation skipped itself: the app's library is outside the range it supports "
     "(the installer's log names it)"},
    {"Failed to export", "",
     "the app's spans do not reach the collector: check the collector pod on the app's node "
     "(validate checks 2 and 3) and OTEL_EXPORTER_OTLP_ENDPOINT"},
    {"encountered while exporting", "",
     "the app's spans do not reach the collector: check the collector pod on the app's node "
     "(validate checks 2 and 3) and OTEL_EXPORTER_OTLP_ENDPOINT"},
}};

bool matches(std::string_view line, const Pattern& pattern) {
  const size_t at = line.find(pattern.contains);
  if (at == std::string_view::npos) return false;
  return pattern.and_contains.empty() ||
         line.find(pattern.and_contains, at + pattern.contains.size()) != std::string_view::npos;
}

}  // namespace

std::vector<AppLogFinding> scan_app_log(std::string_view log) {
  std::array<AppLogFinding, kPatterns.size()> found{};
  std::vector<size_t> order;  // kinds by their first line: the first names the cause
  size_t start = 0;
  while (start < log.size()) {
    const size_t end = std::min(log.find('\n', start), log.size());
    const std::string_view line = log.substr(start, end - start);
    for (size_t kind = 0; kind < kPatterns.size(); ++kind) {
      if (!matches(line, kPatterns[kind])) continue;
      if (found[kind].count++ == 0) {
        found[kind].line = one_line(line, 300);
        found[kind].remedy = std::string(kPatterns[kind].remedy);
        order.push_back(kind);
      }
      break;
    }
    start = end + 1;
  }
  std::vector<AppLogFinding> findings;
  for (size_t kind : order) findings.push_back(std::move(found[kind]));
  return findings;
}

}  // namespace cxtm::validate
