#pragma once
// What `validate` found: one result per check, in the order run, each pass / warn / fail / skip
// with its duration, what it saw and, when it did not pass, a one-line remedy. The JSON form is
// the documented schema (docs/commands.md "validate"); its keys are part of the CLI contract.

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/duration.h"
#include "core/error.h"
#include "core/json.h"
#include "core/time_source.h"

namespace cxtm::validate {

enum class Status { pass, warn, fail, skip };

// "pass", "warn", "fail", "skip".
std::string_view status_name(Status status);

struct CheckResult {
  std::string id;       // access, collector, health, test-span, service, exporter, splunk
  int number = 0;       // the check's place in the sequence (1 … 8)
  std::string title;    // "Cluster access"
  std::string service;  // the service a per-service check is about; empty otherwise
  Status status = Status::skip;
  Duration duration{0};
  std::string summary;               // one line: what the check saw
  std::vector<std::string> details;  // further lines: pods, findings, log lines
  std::string remedy;                // one line when it did not pass; empty otherwise
  Json data = Json::object();        // the facts behind the summary, for machines

  // The check's name as the table shows it: "service scheduler", "health".
  std::string label() const;
  Json to_json() const;
};

struct Report {
  std::string cluster;                // the config's cluster name
  std::string collector;              // "namespace/name" of the collector DaemonSet
  std::vector<std::string> services;  // the services validated, as the config names them
  std::vector<CheckResult> checks;
  std::string trace_id;  // the test span's trace; empty when none was sent
  Duration duration{0};

  // True when no check failed (warnings and skips do not fail a run).
  bool passed() const;
  int count(Status status) const;
  // ok when passed, else failed.
  ExitCode exit_code() const;
  // The latest result with this id (and service, when given), or nullptr.
  const CheckResult* find(std::string_view id, std::string_view service = "") const;
  Json to_json() const;
};

// Runs checks into a report: times each one, turns an Error into a failed result with a remedy
// for its cause, and skips a check whose dependency failed or was skipped instead of failing it
// again. Error(interrupted) is rethrown.
class CheckRunner {
 public:
  // time measures each check's duration; on_start, when set, hears of each check just before its
  // body runs.
  explicit CheckRunner(Report& report, TimeSource& time = system_time(),
                       std::function<void(const CheckResult&)> on_start = {})
      : report_(report), time_(time), on_start_(std::move(on_start)) {}

  // Runs body on a result that starts as `header` (id, number, title, service set) unless a
  // check named in depends_on failed or was skipped. Returns the recorded result.
  const CheckResult& run(CheckResult header, std::initializer_list<std::string_view> depends_on,
                         const std::function<void(CheckResult&)>& body);

  // Records a skipped check with the reason as its summary.
  const CheckResult& skip(CheckResult header, std::string reason);

 private:
  Report& report_;
  TimeSource& time_;
  std::function<void(const CheckResult&)> on_start_;
};

// The remedy for a check that failed with an Error of this code ("" when there is no general one).
std::string remedy_for(ExitCode code);

}  // namespace cxtm::validate
