// Issue 5's fault matrix for `dashboards apply`: each write step of a first apply and of an
// update fails once with 403, 404, 409, 500 or a hang past --timeout. Each case must exit with
// the code README "Exit codes" gives, print one error line naming the object and the cause, and
// leave Splunk as it was: what the run created deleted again, what it updated put back.
//
// Issue 12's: each write step commits and then loses its answer (500, a dropped connection, a
// hang past --timeout), and each read step answers 503 once. A lost answer may end the run with
// success or with a clean failure (one error line, Splunk as it was); either way a second apply
// exits 0 and Splunk then holds exactly the objects of a clean run, none twice. A 503 once on a
// read is retried: the run succeeds.

#include <doctest/doctest.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "core/json.h"
#include "support/cli_runner.h"
#include "support/cluster_cli.h"
#include "support/reliability_log.h"
#include "support/splunk_cli.h"
#include "support/text.h"

namespace test_integration_dashboards_faults {

using cxtm::Json;
using cxtm::testing::contains;
using cxtm::testing::Fault;
using cxtm::testing::FaultAnswer;
using cxtm::testing::FaultTiming;
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

// How a write that Splunk carried out loses its answer.
struct LostAnswer {
  std::string name;
  FaultAnswer answer;
  int status = 500;  // of a status answer
};

const std::vector<LostAnswer> kLostAnswers = {{"commit then 500", FaultAnswer::status},
                                              {"commit then drop", FaultAnswer::drop},
                                              {"commit then hang", FaultAnswer::hang}};

// A request of a successful run: which of the identical requests it was, and for a write the
// object it wrote as the progress note named it.
struct Step {
  std::string method;
  std::string path;
  int occurrence = 0;  // earlier requests with the same method and path
  std::string what;    // 'scheduler: chart "Requests per second"'; "" for a read
};

// What a run without faults did, and what it left in Splunk.
struct CleanRun {
  std::vector<Step> writes;
  std::vector<Step> reads;
  std::multiset<std::string> names;  // "chart/Requests per second", one per object held
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

// "<type>/<name>" of every object Splunk holds.
std::multiset<std::string> names_held(const Json& objects) {
  std::multiset<std::string> names;
  for (const auto& type : objects.items()) {
    for (const auto& object : type.value())
      names.insert(type.key() + "/" + object.value("name", ""));
  }
  return names;
}

// The steps of requests[from..] ("GET /v2/chart/ID"), counting repeats of each.
std::vector<Step> steps_of(const std::vector<std::string>& requests, size_t from) {
  std::vector<Step> steps;
  for (size_t i = from; i < requests.size(); ++i) {
    const auto space = requests[i].find(' ');
    Step step{requests[i].substr(0, space), requests[i].substr(space + 1), 0, ""};
    for (size_t j = from; j < i; ++j) step.occurrence += requests[j] == requests[i] ? 1 : 0;
    steps.push_back(step);
  }
  return steps;
}

CleanRun clean_run(const Scenario& scenario) {
  SplunkCli cli;
  scenario.prepare(cli);
  const size_t before = cli.splunk.requests().size();
  const auto result = cli.run(apply_arguments(false));
  INFO(result.out, result.err);
  REQUIRE(result.exit_code == 0);
  CleanRun run{.names = names_held(cli.splunk.objects())};
  const auto objects = written_objects(result.err);
  for (auto& step : steps_of(cli.splunk.requests(), before)) {
    if (step.method == "GET") {
      run.reads.push_back(step);
    } else {
      REQUIRE(run.writes.size() < objects.size());
      step.what = objects[run.writes.size()];
      run.writes.push_back(step);
    }
  }
  REQUIRE(objects.size() == run.writes.size());
  return run;
}

Fault fault_on(const Step& step) {
  return Fault{
      .method = step.method, .path_regex = "^" + step.path + "(\\?|$)", .skip = step.occurrence};
}

bool run_case(const Scenario& scenario, const Step& step, const FaultKind& kind) {
  SplunkCli cli;
  scenario.prepare(cli);
  const Json before = cli.objects_kept();
  Fault fault = fault_on(step);
  fault.answer = kind.status == 0 ? FaultAnswer::hang : FaultAnswer::status;
  fault.status = kind.status;
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

// After a faulted run: a second apply exits 0, and Splunk holds what a clean run leaves.
bool converges(const SplunkCli& cli, const CleanRun& clean) {
  const auto again = cli.run(apply_arguments(false));
  INFO(again.out, again.err);
  const bool second_apply_ok = again.exit_code == 0;
  const auto names = names_held(cli.splunk.objects());
  const bool one_per_name = names == clean.names;
  CHECK(second_apply_ok);
  CHECK_MESSAGE(one_per_name, cli.splunk.objects().dump(1));
  return second_apply_ok && one_per_name;
}

bool run_lost_answer_case(const Scenario& scenario, const CleanRun& clean, const Step& step,
                          const LostAnswer& lost) {
  SplunkCli cli;
  scenario.prepare(cli);
  const Json before = cli.objects_kept();
  Fault fault = fault_on(step);
  fault.answer = lost.answer;
  fault.status = lost.status;
  fault.timing = FaultTiming::after;
  cli.splunk.inject(fault);
  const auto result = cli.run(apply_arguments(lost.answer == FaultAnswer::hang));
  INFO(result.out, result.err);
  const auto errors = lines_starting(result.err, kErrorPrefix);
  const bool succeeded = result.exit_code == 0 && errors.empty();
  const bool failed_cleanly =
      result.exit_code != 0 && errors.size() == 1 && same_json(cli.objects_kept(), before);
  CHECK_MESSAGE((succeeded || failed_cleanly), cli.splunk.objects().dump(1));
  const bool converged = converges(cli, clean);
  return (succeeded || failed_cleanly) && converged;
}

bool run_transient_read_case(const Scenario& scenario, const CleanRun& clean, const Step& step) {
  SplunkCli cli;
  scenario.prepare(cli);
  Fault fault = fault_on(step);
  fault.status = 503;
  cli.splunk.inject(fault);
  const auto result = cli.run(apply_arguments(false));
  INFO(result.out, result.err);
  const bool succeeded = result.exit_code == 0;
  const bool as_clean = names_held(cli.splunk.objects()) == clean.names;
  CHECK(succeeded);
  CHECK(as_clean);
  return succeeded && as_clean;
}

std::string where(const Step& step) {
  return step.method + " " + step.path + " #" + std::to_string(step.occurrence) +
         (step.what.empty() ? "" : " (" + step.what + ")");
}

void run_matrix(const Scenario& scenario) {
  const CleanRun clean = clean_run(scenario);
  REQUIRE_FALSE(clean.writes.empty());
  REQUIRE_FALSE(clean.reads.empty());
  int run = 0;
  int passed = 0;
  for (const auto& step : clean.writes) {
    const std::string at = where(step);
    CAPTURE(at);
    for (const auto& kind : kFaultKinds) {
      CAPTURE(kind.name);
      ++run;
      if (run_case(scenario, step, kind)) ++passed;
    }
    for (const auto& lost : kLostAnswers) {
      CAPTURE(lost.name);
      ++run;
      if (run_lost_answer_case(scenario, clean, step, lost)) ++passed;
    }
  }
  for (const auto& step : clean.reads) {
    const std::string at = where(step);
    CAPTURE(at);
    ++run;
    if (run_transient_read_case(scenario, clean, step)) ++passed;
  }
  MESSAGE(scenario.name << ": " << clean.writes.size() << " write steps, " << clean.reads.size()
                        << " read steps, fault cases run: " << run << ", passed: " << passed);
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
      "every step of a first dashboards apply, every fault: one line and its code with Splunk as "
      "it was, or (lost answer, transient read error) one object per name") {
    run_matrix({"dashboards apply", [](SplunkCli&) {}});
  }

  TEST_CASE("every step of a dashboards update, every fault: the same") {
    run_matrix({"dashboards apply, an update", [](SplunkCli& cli) {
                  first_apply(cli);
                  // New thresholds (two detector updates) and a chart gone (a create and a
                  // dashboard update).
                  cli.edit_config("services:", "alerts:\n  error_rate_percent: 3\nservices:");
                  cli.remove_chart_by_hand("notifications", 2);
                }});
  }
}

}  // namespace test_integration_dashboards_faults
