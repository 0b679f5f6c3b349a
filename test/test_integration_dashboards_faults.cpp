// Issue 5's fault matrix for `dashboards apply`: each write step of a first apply and of an
// update fails once with 403, 404, 409, 500 or a hang past --timeout. Each case must exit with
// the code README "Exit codes" gives, print one error line naming the object and the cause, and
// leave Splunk as it was: what the run created deleted again, what it updated put back.

#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "core/json.h"
#include "support/cli_runner.h"
#include "support/cluster_cli.h"
#include "support/reliability_log.h"
#include "support/splunk_cli.h"
#include "support/text.h"

using cxtm::Json;
using cxtm::testing::contains;
using cxtm::testing::Fault;
using cxtm::testing::FaultAnswer;
using cxtm::testing::kErrorPrefix;
using cxtm::testing::lines_starting;
using cxtm::testing::log_reliability;
using cxtm::testing::same_json;
using cxtm::testing::SplunkCli;

namespace {

struct FaultKind {
  std::string name;
  int status;  // 0: a hang past --timeout
  int exit_code;
  std::string cause;  // in the error line
};

const std::vector<FaultKind> kFaultKinds = {{"403", 403, 5, "HTTP 403"},
                                            {"404", 404, 4, "HTTP 404"},
                                            {"409", 409, 6, "HTTP 409"},
                                            {"500", 500, 8, "HTTP 500"},
                                            {"hang", 0, 7, "did not answer within 1s"}};

// A write of a successful run: its request, which of the identical requests it was, and the
// object it wrote as the progress note named it.
struct WriteStep {
  std::string method;
  std::string path;
  int occurrence = 0;  // earlier requests with the same method and path
  std::string what;    // 'scheduler: chart "Requests per second"'
};

struct Scenario {
  std::string name;
  std::function<void(SplunkCli&)> prepare;
};

std::vector<std::string> apply_arguments(bool hang) {
  return {"dashboards", "apply", "--timeout", hang ? "1s" : "20s"};
}

// The object of each "<what> created (<id>)" / "<what> updated (<id>)" note, in order.
std::vector<std::string> written_objects(const std::string& err) {
  std::vector<std::string> objects;
  for (size_t at = 0; at < err.size();) {
    const auto end = std::min(err.find('\n', at), err.size());
    const std::string line = err.substr(at, end - at);
    for (const char* verb : {" created (", " updated ("}) {
      const auto mark = line.rfind(verb);
      if (mark != std::string::npos && line.back() == ')') objects.push_back(line.substr(0, mark));
    }
    at = end + 1;
  }
  return objects;
}

std::vector<WriteStep> write_steps(const Scenario& scenario) {
  SplunkCli cli;
  scenario.prepare(cli);
  const size_t before = cli.writes().size();
  const auto result = cli.run(apply_arguments(false));
  INFO(result.out, result.err);
  REQUIRE(result.exit_code == 0);
  const auto writes = cli.writes();
  const auto objects = written_objects(result.err);
  REQUIRE(objects.size() == writes.size() - before);
  std::vector<WriteStep> steps;
  for (size_t i = before; i < writes.size(); ++i) {
    const auto space = writes[i].find(' ');
    WriteStep step{writes[i].substr(0, space), writes[i].substr(space + 1), 0, objects[i - before]};
    for (size_t j = before; j < i; ++j) step.occurrence += writes[j] == writes[i] ? 1 : 0;
    steps.push_back(step);
  }
  return steps;
}

bool run_case(const Scenario& scenario, const WriteStep& step, const FaultKind& kind) {
  SplunkCli cli;
  scenario.prepare(cli);
  const Json before = cli.objects_kept();
  Fault fault{.method = step.method,
              .path_regex = "^" + step.path + "(\\?|$)",
              .answer = kind.status == 0 ? FaultAnswer::hang : FaultAnswer::status,
              .status = kind.status,
              .skip = step.occurrence};
  cli.splunk.inject(fault);
  const auto result = cli.run(apply_arguments(kind.status == 0));
  INFO(result.out, result.err);
  const auto errors = lines_starting(result.err, kErrorPrefix);
  const std::string line = errors.empty() ? "" : errors.front();
  const bool exit_code = result.exit_code == kind.exit_code;
  const bool one_line = errors.size() == 1;
  const bool names_object = line.starts_with(kErrorPrefix + step.what + ": ");
  const bool names_cause = contains(line, kind.cause);
  const Json after = cli.objects_kept();
  const bool state_kept = same_json(after, before);
  CHECK(exit_code);
  CHECK(one_line);
  CHECK_MESSAGE(names_object, line);
  CHECK_MESSAGE(names_cause, line);
  CHECK_MESSAGE(state_kept, after.dump(1));
  return exit_code && one_line && names_object && names_cause && state_kept;
}

void run_matrix(const Scenario& scenario) {
  const auto steps = write_steps(scenario);
  REQUIRE_FALSE(steps.empty());
  int run = 0;
  int passed = 0;
  for (const auto& step : steps) {
    const std::string where = step.method + " " + step.path + " #" +
                              std::to_string(step.occurrence) + " (" + step.what + ")";
    CAPTURE(where);
    for (const auto& kind : kFaultKinds) {
      CAPTURE(kind.name);
      ++run;
      if (run_case(scenario, step, kind)) ++passed;
    }
  }
  MESSAGE(scenario.name << ": " << steps.size() << " write steps, fault cases run: " << run
                        << ", passed: " << passed);
  CHECK(passed == run);
  log_reliability("fault_cases_run", run);
  log_reliability("fault_cases_passed", passed);
}

void first_apply(SplunkCli& cli) {
  const auto result = cli.run(apply_arguments(false));
  REQUIRE(result.exit_code == 0);
}

}  // namespace

TEST_SUITE("integration/faults") {
  TEST_CASE(
      "every write step of a first dashboards apply, every fault: one line, its code, "
      "Splunk as it was") {
    run_matrix({"dashboards apply", [](SplunkCli&) {}});
  }

  TEST_CASE("every write step of a dashboards update, every fault: the same") {
    run_matrix({"dashboards apply, an update", [](SplunkCli& cli) {
                  first_apply(cli);
                  // New thresholds (two detector updates) and a chart gone (a create and a
                  // dashboard update).
                  cli.edit_config("services:", "alerts:\n  error_rate_percent: 3\nservices:");
                  cli.remove_chart_by_hand("notifications", 2);
                }});
  }
}
