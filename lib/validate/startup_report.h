#pragma once
// The start-up reports of the tool's sitecustomize (templates/instrumentation/sitecustomize.py):
// one line on the app's stderr per Python process it starts tracing in, read back from the
// app's log, and what they prove. Pure.
//   cxtm-o11y: tracing started pid=1 python=3.12.3 sdk=1.41.1 exporter=otlp
//     protocol=http/protobuf endpoint=http://... instrumented=flask,requests
//   cxtm-o11y: tracing not started pid=1 python=3.12.3 because: ModuleNotFoundError: ...

#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace cxtm::validate {

struct StartupReport {
  bool started = false;
  std::string pid;
  std::string role;  // "" the app's own process; "reloader-child", "spawned-worker"
  std::string python;
  std::string sdk;
  std::string exporter;  // OTEL_TRACES_EXPORTER as the process had it ("otlp")
  std::string protocol;
  std::string endpoint;                   // "default" when none was set
  std::vector<std::string> instrumented;  // the instrumentors loaded, by entry point name
  std::string reason;                     // why not started
  std::string line;                       // as logged, bounded
};

// Every report line in log, in order.
std::vector<StartupReport> read_startup_reports(std::string_view log);

// {started, pid, role, python, sdk, exporter, protocol, endpoint, instrumented, reason}.
Json to_json(const StartupReport& report);

struct StartupFinding {
  bool fails = false;  // false: a warning
  std::string detail;
  std::string remedy;
};

// What the reports of one pod prove, for an app whose spans should go to endpoint. No report at
// all fails: the app's Python never ran the sitecustomize (`untraced`: the causes seen in the
// pod spec, python_runtime's, which the remedy then names). A process that did not start tracing
// fails with its reason; one that started but exports elsewhere, or not by OTLP, fails; one that
// instrumented no library warns.
std::vector<StartupFinding> judge_startup(const std::vector<StartupReport>& reports,
                                          const std::string& endpoint,
                                          const std::vector<std::string>& untraced);

}  // namespace cxtm::validate
