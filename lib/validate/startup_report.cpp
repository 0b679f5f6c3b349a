#include "validate/startup_report.h"

#include <fmt/core.h>
#include <fmt/format.h>

#include <set>

#include "core/one_line.h"
#include "core/split.h"

namespace cxtm::validate {
namespace {

constexpr std::string_view kStarted = "cxtm-o11y: tracing started ";
constexpr std::string_view kNotStarted = "cxtm-o11y: tracing not started ";
constexpr std::string_view kBecause = " because: ";

// "key=value key=value": the fields of a report.
void read_fields(std::string_view fields, StartupReport& report) {
  for (const auto& field : split_nonempty(fields, " ")) {
    const size_t equals = field.find('=');
    if (equals == std::string::npos) continue;
    const std::string key = field.substr(0, equals);
    std::string value = field.substr(equals + 1);
    if (key == "pid") report.pid = std::move(value);
    if (key == "role") report.role = std::move(value);
    if (key == "python") report.python = std::move(value);
    if (key == "sdk") report.sdk = std::move(value);
    if (key == "exporter") report.exporter = std::move(value);
    if (key == "protocol") report.protocol = std::move(value);
    if (key == "endpoint") report.endpoint = std::move(value);
    if (key == "instrumented" && value != "none") report.instrumented = split_nonempty(value, ",");
  }
}

std::string process_of(const StartupReport& report) {
  return report.role.empty() ? fmt::format("pid {}", report.pid)
                             : fmt::format("pid {} ({})", report.pid, report.role);
}

std::string remedy_for(std::string_view reason) {
  if (reason.find("OTEL_SDK_DISABLED") != std::string_view::npos) {
    return "the app's pod sets OTEL_SDK_DISABLED=true: remove it, or leave the service out of "
           "tracing (cxtm-o11y rollback)";
  }
  if (reason.find("ImportError") != std::string_view::npos ||
      reason.find("ModuleNotFoundError") != std::string_view::npos) {
    return "the volume lacks a package the start-up needs, or holds one built for another "
           "Python: run cxtm-o11y instrument again (cxtm-o11y status shows what the installer "
           "added)";
  }
  return "OpenTelemetry's start-up failed: its error is in the app's log above the report line "
         "(kubectl logs); fix it, then run cxtm-o11y instrument again";
}

bool exports_otlp(std::string_view exporter) {
  for (const auto& name : split_nonempty(exporter, ",")) {
    if (name == "otlp" || name == "otlp_proto_http" || name == "otlp_proto_grpc") return true;
  }
  return false;
}

}  // namespace

std::vector<StartupReport> read_startup_reports(std::string_view log) {
  std::vector<StartupReport> reports;
  size_t start = 0;
  while (start < log.size()) {
    const size_t end = std::min(log.find('\n', start), log.size());
    std::string_view line = log.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    StartupReport report;
    if (const size_t at = line.find(kStarted); at != std::string_view::npos) {
      report.started = true;
      read_fields(line.substr(at + kStarted.size()), report);
    } else if (const size_t at_not = line.find(kNotStarted); at_not != std::string_view::npos) {
      std::string_view rest = line.substr(at_not + kNotStarted.size());
      const size_t because = rest.find(kBecause);
      if (because != std::string_view::npos) {
        report.reason = std::string(rest.substr(because + kBecause.size()));
        rest = rest.substr(0, because);
      }
      read_fields(rest, report);
    } else {
      continue;
    }
    report.line = one_line(line, 400);
    reports.push_back(std::move(report));
  }
  return reports;
}

Json to_json(const StartupReport& report) {
  return Json{{"started", report.started},
              {"pid", report.pid},
              {"role", report.role},
              {"python", report.python},
              {"sdk", report.sdk},
              {"exporter", report.exporter},
              {"protocol", report.protocol},
              {"endpoint", report.endpoint},
              {"instrumented", report.instrumented},
              {"reason", report.reason}};
}

std::vector<StartupFinding> judge_startup(const std::vector<StartupReport>& reports,
                                          const std::string& endpoint,
                                          const std::vector<std::string>& untraced) {
  std::vector<StartupFinding> findings;
  if (reports.empty()) {
    findings.push_back(
        {.fails = true,
         .detail = fmt::format("no start-up report in the app's log: its Python never ran the "
                               "instrumentation's start-up hook{}",
                               untraced.empty() ? "" : ", as how the app starts makes certain"),
         .remedy = untraced.empty()
                       ? "the app must start as a Python process that keeps the pod's PYTHONPATH: "
                         "no python -I, -E or -S, no entrypoint that sets PYTHONPATH anew; if its "
                         "log has rotated since it started, restart the pods (kubectl rollout "
                         "restart) and validate again"
                       : fmt::format("{}; then restart the pods (kubectl rollout restart)",
                                     fmt::join(untraced, "; "))});
    return findings;
  }
  std::set<std::string> said;  // one finding per kind and process role
  const auto add = [&](bool fails, std::string detail, std::string remedy) {
    if (said.insert(detail).second) {
      findings.push_back(
          {.fails = fails, .detail = std::move(detail), .remedy = std::move(remedy)});
    }
  };
  for (const auto& report : reports) {
    if (!report.started) {
      add(true,
          fmt::format("tracing did not start in {}: {}", process_of(report),
                      report.reason.empty() ? "no reason given" : report.reason),
          remedy_for(report.reason));
      continue;
    }
    if (!exports_otlp(report.exporter)) {
      add(true,
          fmt::format("{} traces with exporter \"{}\", not OTLP: its spans go nowhere",
                      process_of(report), report.exporter),
          "the app sets OTEL_TRACES_EXPORTER itself (an envFrom, its image or its code): let it "
          "be otlp");
    } else if (report.endpoint != endpoint) {
      add(true,
          fmt::format("{} exports to {}, not to the collector's {}", process_of(report),
                      report.endpoint, endpoint),
          "the app sets the OTLP endpoint itself (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, an envFrom, "
          "its image or its code): remove that setting");
    }
    if (report.instrumented.empty()) {
      add(false,
          fmt::format("{} started tracing but instrumented no library: only spans the app makes "
                      "itself are sent",
                      process_of(report)),
          "the installer's log names the instrumentations it installed (cxtm-o11y status); add "
          "one with instrumentation.packages if the app's library was not detected");
    }
  }
  return findings;
}

}  // namespace cxtm::validate
