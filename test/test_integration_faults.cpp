// Issue 5's hardening, end to end: the built binary drives the real kubectl against the
// Kubernetes API server double. An API error or a hang on every write step of instrument,
// rollback and collector deploy; a canary token looked for everywhere but the Secret; damaged
// backups; names that try to escape. The figures go to $CXTM_RELIABILITY_LOG when it is set,
// one "<metric> <value>" a line, appended.

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "core/atomic_file.h"
#include "core/digest.h"
#include "core/json.h"
#include "fixtures/fake_kube_api_server.h"
#include "support/cli_runner.h"
#include "support/cluster_cli.h"
#include "support/kubectl_runner.h"
#include "support/kubectl_spy.h"
#include "support/reliability_log.h"
#include "support/temp_dir.h"
#include "support/text.h"
#include "support/validate_world.h"

namespace test_integration_faults {

using cxtm::Json;
using cxtm::read_file;
using cxtm::testing::ClusterCli;
using cxtm::testing::contains;
using cxtm::testing::CopyOf;
using cxtm::testing::deployment_path;
using cxtm::testing::essence;
using cxtm::testing::Fault;
using cxtm::testing::FaultAnswer;
using cxtm::testing::FaultTiming;
using cxtm::testing::kErrorPrefix;
using cxtm::testing::lines_starting;
using cxtm::testing::log_reliability;
using cxtm::testing::RecordedRequest;
using cxtm::testing::same_essence;
using cxtm::testing::same_json;

namespace {

constexpr const char* kScheduler = "scheduler (default/cxtm-scheduler): ";
const std::string kBackupConfigMap =
    "/api/v1/namespaces/default/configmaps/cxtm-o11y-backup-cxtm-scheduler";
// Every object `collector deploy` of the example writes, by API path.
const std::vector<std::string> kCollectorObjects = {
    "/api/v1/namespaces/default/serviceaccounts/otel-collector",
    "/apis/rbac.authorization.k8s.io/v1/clusterroles/otel-collector",
    "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/otel-collector",
    "/api/v1/namespaces/default/secrets/splunk-access-token",
    "/api/v1/namespaces/default/configmaps/otel-collector",
    "/apis/apps/v1/namespaces/default/daemonsets/otel-collector",
    "/api/v1/namespaces/default/services/otel-collector"};

// The built binary against the cluster as ClusterCli::run runs it, with the access token (none
// when empty) in the environment.
cxtm::kube::ProcessResult run_with_token(const ClusterCli& cluster,
                                         const std::vector<std::string>& arguments,
                                         const std::string& token,
                                         const std::string& kubectl = "") {
  return cluster.run(arguments, kubectl,
                     {{"SPLUNK_ACCESS_TOKEN", token}, {"SPLUNK_API_TOKEN", token}});
}

// Replaces the first `from` in the cluster's config file by `to`.
void edit_config(const ClusterCli& cluster, const std::string& from, const std::string& to) {
  std::string config = read_file(cluster.config());
  const auto at = config.find(from);
  REQUIRE(at != std::string::npos);
  cxtm::write_file_atomic(cluster.config(), config.replace(at, from.size(), to));
}

// ---- the fault matrix ----

// How a command must end when the fault hits one of its requests.
enum class Expect {
  fails,     // the kind's exit code, one error line naming the object and cause, state as before
  recovers,  // exit 0, no error line, the state a run without faults leaves
  either,    // one or the other; never anything in between
};

// One way the API server fails a request, and how the command must end.
struct FaultKind {
  std::string name;
  Fault fault;  // method and target are the step's
  int exit_code = 0;
  std::vector<std::string> causes;  // one of these is in the error line
  Expect expect = Expect::fails;
  bool on_reads = false;  // put on the read steps (GETs) instead of the writes
  // A fault the command must get past (Expect::recovers): put on every step of one run at
  // once, each step failing once, which asks more of the command than one step at a time.
  bool every_step_at_once = false;
};

const std::vector<std::string> kTimeouts = {"deadline exceeded", "Timeout", "no answer"};

// Refusals end a command; a failure that may pass (a lost answer, a 500, a dropped connection)
// is asked again or read back, so it has to last to end one.
const std::vector<FaultKind>& fault_kinds() {
  static const std::vector<FaultKind> kinds = {
      {"403", {.status = 403}, 5, {"(Forbidden)"}},
      {"404", {.status = 404}, 4, {"(NotFound)"}},
      {"409 every time",
       {.status = 409, .times = -1},
       6,
       {"(Conflict)", "the object has been modified", "changed by someone else"}},
      {"500 every time", {.status = 500, .times = -1}, 8, {"(InternalError)"}},
      {"hang", {.answer = FaultAnswer::hang, .times = -1}, 7, kTimeouts},
      {"500 once", {.status = 500}, 0, {}, Expect::recovers, false, true},
      {"503 once on a read", {.status = 503}, 0, {}, Expect::recovers, true, true},
      {"commit, then 500",
       {.status = 500, .timing = FaultTiming::after},
       0,
       {},
       Expect::recovers,
       false,
       true},
      {"commit, then a dropped connection",
       {.answer = FaultAnswer::drop, .timing = FaultTiming::after},
       0,
       {},
       Expect::recovers,
       false,
       true},
      {"commit, then a hang",
       {.answer = FaultAnswer::hang, .timing = FaultTiming::after},
       7,
       kTimeouts,
       Expect::either}};
  return kinds;
}

// A command of the matrix and the state it starts from.
struct Scenario {
  std::string name;
  std::vector<std::string> arguments;  // without --timeout
  std::string service;                 // the error line's prefix after "cxtm-o11y: error: "
  std::vector<std::string> watched;    // API paths whose objects are compared
  std::function<void(ClusterCli&)> prepare;
  bool dry_runs_matter = false;  // fault its first dry run too (once is enough: same code)
};

// A request of a successful run: the step a fault is put on.
struct Step {
  std::string method;
  std::string path;
  bool dry_run = false;  // a server-side dry run of the plan (dryRun=All), not a write

  bool operator==(const Step&) const = default;
  bool read() const { return method == "GET"; }
  // The request target the fault matches: this path, with or without dryRun in the query.
  std::string target_regex() const;
  std::string shown() const { return method + " " + path + (dry_run ? " (dry run)" : ""); }
};

// The kind of the object at an API path, and "Kind ns/name" as the tool's messages name it.
std::string describe_path(const std::string& path) {
  static const std::map<std::string, std::string> kinds = {
      {"serviceaccounts", "ServiceAccount"},
      {"clusterroles", "ClusterRole"},
      {"clusterrolebindings", "ClusterRoleBinding"},
      {"secrets", "Secret"},
      {"configmaps", "ConfigMap"},
      {"daemonsets", "DaemonSet"},
      {"services", "Service"},
      {"deployments", "Deployment"}};
  std::vector<std::string> parts;
  for (size_t at = 1; at <= path.size();) {
    const size_t end = std::min(path.find('/', at), path.size());
    parts.push_back(path.substr(at, end - at));
    at = end + 1;
  }
  if (parts.size() < 2) return path;
  // A create of an object without a name of its own: the access reviews collector deploy asks.
  if (parts.back() == "selfsubjectaccessreviews") return "SelfSubjectAccessReview";
  const auto kind = kinds.find(parts[parts.size() - 2]);
  const std::string name = parts.back();
  const std::string type = kind == kinds.end() ? parts[parts.size() - 2] : kind->second;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i] == "namespaces") return type + " " + parts[i + 1] + "/" + name;
  }
  return type + " " + name;
}

std::string regex_escape(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    if (std::string_view(".^$|()[]{}*+?\\").find(c) != std::string_view::npos) escaped += '\\';
    escaped += c;
  }
  return escaped;
}

std::string Step::target_regex() const {
  const std::string query = dry_run ? "\\?.*dryRun=" : "(\\?(?!.*dryRun=)|$)";
  return "^" + regex_escape(path) + query;
}

// Discovery and OpenAPI, which kubectl reads before every command: not the command's steps.
bool discovery(const std::string& path) {
  static const std::regex pattern(R"(^/(version|api|apis|openapi)(/[^/]+){0,2}$)");
  return std::regex_match(path, pattern) && path.find("/namespaces") == std::string::npos &&
         !path.starts_with("/apis/rbac.authorization.k8s.io/v1/cluster");
}

Json cluster_state(const ClusterCli& cluster, const std::vector<std::string>& paths) {
  Json state = Json::object();
  for (const auto& path : paths) state[path] = essence(cluster.server.get(path));
  return state;
}

std::vector<std::string> timeout_flags(bool hang) {
  // A hang must outlast --timeout; every other request of the fake answers in milliseconds.
  return {"--timeout", hang ? "2s" : "20s", "--poll-interval", "20ms"};
}

const std::string kMatrixToken = "matrix-token-d41d8cd9";

std::vector<std::string> with_flags(std::vector<std::string> arguments, bool hang) {
  for (auto& flag : timeout_flags(hang)) arguments.push_back(std::move(flag));
  return arguments;
}

std::vector<Scenario> scenarios() {
  const auto seed = [](ClusterCli& cluster) { cluster.seed("probes-resources", "cxtm-scheduler"); };
  const auto instrument = [seed](ClusterCli& cluster) {
    seed(cluster);
    REQUIRE(
        run_with_token(cluster, with_flags({"instrument", "scheduler", "--no-validate"}, false), "")
            .exit_code == 0);
  };
  const auto deploy = [](ClusterCli& cluster) {
    REQUIRE(run_with_token(cluster, with_flags({"collector", "deploy"}, false), kMatrixToken)
                .exit_code == 0);
    REQUIRE(
        cluster.server.await_rollout("/apis/apps/v1/namespaces/default/daemonsets/otel-collector"));
  };
  const std::vector<std::string> deployment = {deployment_path("cxtm-scheduler")};
  return {
      {"instrument scheduler",
       {"instrument", "scheduler", "--no-validate"},
       kScheduler,
       deployment,
       seed},
      {"instrument scheduler, an upgrade",
       {"instrument", "scheduler", "--no-validate"},
       kScheduler,
       deployment,
       [instrument](ClusterCli& cluster) {
         instrument(cluster);
         REQUIRE(cluster.server.await_rollout(deployment_path("cxtm-scheduler")));
         edit_config(cluster, "environment: cxtm-poc", "environment: cxtm-staging");
       }},
      {"rollback scheduler",
       {"rollback", "scheduler"},
       kScheduler,
       deployment,
       [instrument](ClusterCli& cluster) {
         instrument(cluster);
         REQUIRE(cluster.server.await_rollout(deployment_path("cxtm-scheduler")));
       }},
      {"collector deploy",
       {"collector", "deploy"},
       "",
       kCollectorObjects,
       [](ClusterCli&) {},
       true},
      {"collector deploy, an update",
       {"collector", "deploy"},
       "",
       kCollectorObjects,
       [deploy](ClusterCli& cluster) {
         deploy(cluster);
         edit_config(cluster, "memory: 500Mi", "memory: 1Gi");
       }},
  };
}

// A scenario's prepared cluster, its steps and the state a run without faults leaves.
struct Prepared {
  std::unique_ptr<ClusterCli> start;  // each case runs on a copy of it
  std::vector<Step> steps;            // the distinct requests of a successful run, in order
  Json end_state;                     // the watched objects after that run
};

Prepared prepare(const Scenario& scenario) {
  Prepared prepared{.start = std::make_unique<ClusterCli>()};
  scenario.prepare(*prepared.start);
  ClusterCli cluster(CopyOf{*prepared.start});
  const size_t before = cluster.server.requests().size();
  const auto result = run_with_token(cluster, with_flags(scenario.arguments, false), kMatrixToken);
  INFO(result.out, result.err);
  REQUIRE(result.exit_code == 0);
  const auto requests = cluster.server.requests();
  for (size_t i = before; i < requests.size(); ++i) {
    const RecordedRequest& request = requests[i];
    if (request.method == "GET" && discovery(request.path)) continue;
    const Step step{request.method, request.path, contains(request.query, "dryRun=")};
    if (std::find(prepared.steps.begin(), prepared.steps.end(), step) == prepared.steps.end()) {
      prepared.steps.push_back(step);
    }
  }
  prepared.end_state = cluster_state(cluster, scenario.watched);
  return prepared;
}

// What turned `expected` into `actual`, as a JSON patch (keys compared in any order).
std::string changes(const Json& expected, const Json& actual) {
  return nlohmann::json::diff(nlohmann::json::parse(expected.dump()),
                              nlohmann::json::parse(actual.dump()))
      .dump(1);
}

// Whether a case ended as its kind allows; the checks say what did not hold.
bool run_case(const Scenario& scenario, const Prepared& prepared,
              const std::vector<const Step*>& steps, const FaultKind& kind) {
  ClusterCli cluster(CopyOf{*prepared.start});
  const Json before = cluster_state(cluster, scenario.watched);
  for (const Step* step : steps) {
    Fault fault = kind.fault;
    fault.method = step->method;
    fault.path_regex = step->target_regex();
    cluster.server.inject(fault);
  }
  const Step& step = *steps.front();  // the one a failing kind names (it has one step)

  const bool hang = kind.fault.answer == FaultAnswer::hang;
  std::vector<std::string> arguments = with_flags(scenario.arguments, hang);
  // -v shows each kubectl command: with a hang, each must carry --timeout as its deadline.
  if (hang) arguments.insert(arguments.begin(), "-v");
  const size_t first_request = cluster.server.requests().size();
  const auto result = run_with_token(cluster, arguments, kMatrixToken);
  INFO(result.out, result.err);
  const std::string writes = cluster.writes_seen(first_request);
  INFO("the writes the API server saw:", writes);
  const auto commands = lines_starting(result.err, "+ kubectl");
  // kubectl proxy serves for the whole run: each request through it has the tool's own deadline.
  const bool bounded =
      !hang || (!commands.empty() &&
                std::all_of(commands.begin(), commands.end(), [](const std::string& command) {
                  return contains(command, " --request-timeout=2s ") ||
                         contains(command, " proxy --unix-socket=");
                }));
  CHECK(bounded);
  const auto errors = lines_starting(result.err, kErrorPrefix);
  const Json after = cluster_state(cluster, scenario.watched);

  const bool recovered =
      result.exit_code == 0 && errors.empty() && same_json(after, prepared.end_state);
  const std::string line = errors.empty() ? "" : errors.front();
  const bool named_cause =
      std::any_of(kind.causes.begin(), kind.causes.end(),
                  [&](const std::string& cause) { return contains(line, cause); });
  const bool failed_cleanly = result.exit_code == kind.exit_code && errors.size() == 1 &&
                              line.starts_with(kErrorPrefix + scenario.service) &&
                              contains(line, describe_path(step.path)) && named_cause &&
                              same_json(after, before);
  bool passed = false;
  switch (kind.expect) {
    case Expect::fails:
      passed = failed_cleanly;
      CHECK(result.exit_code == kind.exit_code);
      CHECK(errors.size() == 1);
      CHECK_MESSAGE(line.starts_with(kErrorPrefix + scenario.service), line);
      CHECK_MESSAGE(contains(line, describe_path(step.path)), line);
      CHECK_MESSAGE(named_cause, line);
      CHECK_MESSAGE(same_json(after, before), changes(before, after));
      break;
    case Expect::recovers:
      passed = recovered;
      CHECK(result.exit_code == 0);
      CHECK(errors.empty());
      CHECK_MESSAGE(same_json(after, prepared.end_state), changes(prepared.end_state, after));
      break;
    case Expect::either:
      passed = recovered || failed_cleanly;
      CHECK_MESSAGE(passed, changes(before, after) << "\nagainst a run without faults:\n"
                                                   << changes(prepared.end_state, after));
      break;
  }
  return passed && bounded;
}

// Faults that the tool meets through one code path each: a refusal ends the command at once,
// a lasting failure (or a hang after the write committed) after its retries, a passing one is
// asked again, a lost answer is read back. Every step meets every class. A class that ends the
// command goes on one step per run, its members taking turns over the steps (each member on
// every step would triple the matrix's time for no new path); one the command must get past
// goes on every step of a single run at once.
using FaultClass = std::vector<std::string>;
const FaultClass kRefusals = {"403", "404", "409 every time"};
const FaultClass kLasting = {"500 every time", "hang", "commit, then a hang"};
const FaultClass kPassing = {"500 once", "503 once on a read"};
const FaultClass kLostAnswer = {"commit, then 500"};
const FaultClass kDroppedAnswer = {"commit, then a dropped connection"};
const std::vector<FaultClass> kEveryClass = {kRefusals, kLasting, kPassing, kLostAnswer,
                                             kDroppedAnswer};

const FaultKind& kind_named(const std::string& name) {
  for (const FaultKind& kind : fault_kinds()) {
    if (kind.name == name) return kind;
  }
  throw std::logic_error("no fault kind " + name);
}

// Runs each class on the steps of one scenario: writes get the members meant for writes, reads
// those meant for reads, each step the member whose turn it is. The plan's dry runs are not
// writes and all fail before any write, through the same code: faults go on the first dry run
// of a first deploy only. The figures go to the reliability log.
void run_matrix(const Scenario& scenario, const std::vector<FaultClass>& classes) {
  const Prepared prepared = prepare(scenario);
  CHECK_FALSE(prepared.steps.empty());
  std::string shown;
  for (const Step& step : prepared.steps) shown += "\n  " + step.shown();
  MESSAGE(scenario.name << ": " << prepared.steps.size() << " steps" << shown);
  const auto first_dry_run = std::find_if(prepared.steps.begin(), prepared.steps.end(),
                                          [](const Step& step) { return step.dry_run; });
  std::vector<const Step*> faulted;  // the steps that get faults, in order
  for (auto step = prepared.steps.begin(); step != prepared.steps.end(); ++step) {
    if (step->dry_run && !(scenario.dry_runs_matter && step == first_dry_run)) continue;
    faulted.push_back(&*step);
  }
  std::map<std::string, std::pair<int, int>> per_kind;  // name -> run, passed
  const auto count = [&](const std::string& name, int cases, bool passed) {
    per_kind[name].first += cases;
    if (passed) per_kind[name].second += cases;
  };
  for (const FaultClass& fault_class : classes) {
    for (const bool reads : {false, true}) {
      std::vector<const Step*> steps;
      for (const Step* step : faulted) {
        if (step->read() == reads) steps.push_back(step);
      }
      std::vector<const FaultKind*> members;
      for (const std::string& name : fault_class) {
        const FaultKind& kind = kind_named(name);
        if (kind.on_reads == reads) members.push_back(&kind);
      }
      if (steps.empty() || members.empty()) continue;
      if (members.front()->every_step_at_once) {
        for (const FaultKind* kind : members) {
          CAPTURE(kind->name);
          count(kind->name + " (every step at once)", static_cast<int>(steps.size()),
                run_case(scenario, prepared, steps, *kind));
        }
        continue;
      }
      // Each step gets the next member(s); with fewer steps than members, several each.
      const size_t per_step = (members.size() + steps.size() - 1) / steps.size();
      for (size_t at = 0; at < steps.size(); ++at) {
        const std::string where = steps[at]->shown();
        CAPTURE(where);
        for (size_t turn = 0; turn < per_step; ++turn) {
          const FaultKind& kind = *members[(at * per_step + turn) % members.size()];
          CAPTURE(kind.name);
          count(kind.name, 1, run_case(scenario, prepared, {steps[at]}, kind));
        }
      }
    }
  }
  int run = 0;
  int succeeded = 0;
  for (const auto& [name, figures] : per_kind) {
    MESSAGE(scenario.name << ", " << name << ": cases run: " << figures.first
                          << ", passed: " << figures.second);
    run += figures.first;
    succeeded += figures.second;
  }
  CHECK(run > 0);
  CHECK(succeeded == run);
  log_reliability("fault_cases_run", run);
  log_reliability("fault_cases_passed", succeeded);
}

const Scenario& scenario_named(const std::string& name) {
  static const std::vector<Scenario> all = scenarios();
  for (const Scenario& scenario : all) {
    if (scenario.name == name) return scenario;
  }
  throw std::logic_error("no scenario " + name);
}

}  // namespace

// One test case per scenario (two for the slowest), so that ctest runs them side by side.
TEST_SUITE("integration/faults") {
  TEST_CASE("every step of instrument, every fault: it fails cleanly or recovers, never between") {
    run_matrix(scenario_named("instrument scheduler"), kEveryClass);
  }
  TEST_CASE("every step of an instrument upgrade, every fault: the same") {
    run_matrix(scenario_named("instrument scheduler, an upgrade"), kEveryClass);
  }
  TEST_CASE("every step of rollback, every fault: the same") {
    run_matrix(scenario_named("rollback scheduler"), kEveryClass);
  }
  TEST_CASE("every step of collector deploy, refusals: the same") {
    run_matrix(scenario_named("collector deploy"), {kRefusals});
  }
  TEST_CASE(
      "every step of collector deploy, lasting and passing failures, lost answers: the same") {
    run_matrix(scenario_named("collector deploy"),
               {kLasting, kPassing, kLostAnswer, kDroppedAnswer});
  }
  TEST_CASE("every step of a collector update, every fault: the same") {
    run_matrix(scenario_named("collector deploy, an update"), kEveryClass);
  }
}

namespace {

// ---- the canary ----

constexpr const char* kCanary = "canary-7f3a9c2e-token";
constexpr const char* kSecondCanary = "canary-second-41d8b6a0-token";
constexpr const char* kSecretPath = "/api/v1/namespaces/default/secrets/splunk-access-token";

// Looks for secrets in text; every find is a hit naming where.
struct CanarySearch {
  std::vector<std::string> secrets;
  std::vector<std::string> hits;

  void look(const std::string& where, const std::string& text) {
    for (const auto& secret : secrets) {
      if (contains(text, secret)) hits.push_back(where + " holds " + secret);
    }
  }
};

// Every regular file under dir, by path.
std::vector<std::filesystem::path> files_under(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  if (!std::filesystem::exists(dir)) return files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  return files;
}

// A kubectl that records its command line as the kernel saw it (/proc/self/cmdline) and then
// becomes the real one. KubectlSpy stays the parent of the real kubectl, so stopping the
// `kubectl proxy` that validate starts would stop only the spy's shell.
class ExecSpy {
 public:
  ExecSpy() {
    dir_.write("kubectl",
               "#!/bin/sh\ncat /proc/$$/cmdline > '" + dir_.path().string() +
                   "/cmdline.'$$\ncat /proc/$$/environ > '" + dir_.path().string() +
                   "/environ.'$$\nexec '" + cxtm::testing::test_kubectl() + "' \"$@\"\n",
               true);
  }
  std::string path() const { return (dir_.path() / "kubectl").string(); }
  // The command line of every call so far, its arguments joined by spaces.
  std::vector<std::string> command_lines() const {
    std::vector<std::string> lines;
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
      if (!entry.path().filename().string().starts_with("cmdline.")) continue;
      std::string line = read_file(entry.path());
      std::replace(line.begin(), line.end(), '\0', ' ');
      lines.push_back(std::move(line));
    }
    return lines;
  }
  // The environment of every call so far.
  std::vector<std::string> environments() const {
    std::vector<std::string> environments;
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
      if (entry.path().filename().string().starts_with("environ.")) {
        environments.push_back(read_file(entry.path()));
      }
    }
    return environments;
  }

 private:
  cxtm::testing::TempDir dir_;
};

std::string joined(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& part : argv) line += part + " ";
  return line;
}

// ---- damaged backups ----

// A way a stored backup document gets damaged, and the reason the refusal must give.
struct Damage {
  std::string name;
  std::function<std::string(const std::string&)> apply;
  std::string why;
};

const std::vector<Damage>& damages() {
  static const std::vector<Damage> all = {
      {"truncated", [](const std::string& text) { return text.substr(0, text.size() / 2); },
       "it is not JSON (truncated or corrupted?)"},
      {"not JSON", [](const std::string&) { return std::string("original: {{ not json\n"); },
       "it is not JSON"},
      {"a foreign JSON document",
       [](const std::string&) { return cxtm::testing::corpus_deployment("minimal").dump(2); },
       "it is not a cxtm-o11y.io/v1 DeploymentBackup document"},
      {"a sha256 that does not match",
       [](const std::string& text) {
         Json document = Json::parse(text);
         document["object"]["spec"]["replicas"] = 7;
         return document.dump(2);
       },
       "its sha256 does not match its content"}};
  return all;
}

std::string cluster_location() {
  return "configmap/default/cxtm-o11y-backup-cxtm-scheduler:original.json";
}

void damage_local(const ClusterCli& cluster, const Damage& damage) {
  const auto path = cluster.local_original("cxtm-scheduler");
  cxtm::write_file_atomic(path, damage.apply(read_file(path)));
}

void damage_cluster(ClusterCli& cluster, const Damage& damage) {
  Json configmap = *cluster.backup_configmap("cxtm-scheduler");
  configmap["data"]["original.json"] =
      damage.apply(configmap["data"]["original.json"].get<std::string>());
  cluster.server.put_object(configmap);
}

}  // namespace

TEST_SUITE("integration/faults") {
  TEST_CASE("the access token is in the Secret and nowhere else, whatever the run") {
    ClusterCli cluster;
    const cxtm::testing::KubectlSpy spy(cxtm::testing::test_kubectl());
    const std::string encoded = cxtm::base64_encode(kCanary);
    CanarySearch search{{kCanary, encoded}, {}};
    const auto run_as = [&](std::vector<std::string> arguments, const char* token) {
      const std::string command = joined(arguments);
      const auto result = run_with_token(cluster, arguments, token, spy.path());
      search.look("stdout of " + command, result.out);
      search.look("stderr of " + command, result.err);
      return result;
    };
    const auto run = [&](std::vector<std::string> arguments) {
      return run_as(std::move(arguments), kCanary);
    };
    const auto flags = [](std::vector<std::string> arguments) {
      return with_flags(arguments, false);
    };

    // Successful runs, at -v and as JSON.
    CHECK(run(flags({"-v", "collector", "deploy"})).exit_code == 0);
    CHECK(run(flags({"-o", "json", "collector", "deploy"})).exit_code == 0);
    CHECK(run({"-v", "collector", "status"}).exit_code == 0);
    CHECK(run({"-o", "json", "collector", "status"}).exit_code == 0);
    // A rotation to a second token (shown, made, as JSON) and back.
    search.secrets.push_back(kSecondCanary);
    search.secrets.push_back(cxtm::base64_encode(kSecondCanary));
    for (const std::vector<std::string>& rotate :
         {std::vector<std::string>{"-v", "collector", "rotate-token", "--no-validate", "--dry-run"},
          std::vector<std::string>{"-o", "json", "collector", "rotate-token", "--no-validate"}}) {
      CHECK(run_as(flags(rotate), kSecondCanary).exit_code == 0);
    }
    CHECK(run(flags({"-v", "collector", "rotate-token", "--no-validate"})).exit_code == 0);
    cluster.seed("env-secrets-downward", "cxtm-scheduler");
    CHECK(run(flags({"-v", "instrument", "scheduler", "--no-validate"})).exit_code == 0);
    CHECK(run(flags({"-o", "json", "instrument", "scheduler", "--no-validate"})).exit_code == 0);
    for (const std::vector<std::string>& output :
         {std::vector<std::string>{"-v"}, std::vector<std::string>{"-o", "json"}}) {
      for (std::vector<std::string> command :
           {std::vector<std::string>{"status"}, std::vector<std::string>{"backup", "list"},
            std::vector<std::string>{"backup", "show", "scheduler"}}) {
        command.insert(command.begin(), output.begin(), output.end());
        CHECK(run(command).exit_code == 0);
      }
    }
    CHECK(run({"-v", "backup", "create", "scheduler"}).exit_code == 0);
    CHECK(run(flags({"-v", "rollback", "scheduler"})).exit_code == 0);

    // Failing runs: the Secret's write fails with a server that echoes the token back, the
    // Deployment's writes fail. Every time: a single 500 is asked again and passes.
    REQUIRE(cluster.server.erase(kSecretPath));
    cluster.server.inject({.method = "PATCH",
                           .path_regex = "/secrets/splunk-access-token",
                           .status = 500,
                           .message = std::string("Internal error occurred: rejected ") + kCanary,
                           .times = -1});
    const auto echoed = run(flags({"-v", "collector", "deploy"}));
    CHECK(echoed.exit_code == 8);
    CHECK(contains(echoed.err, "rejected [REDACTED]"));
    CHECK(run(flags({"-o", "json", "collector", "deploy"})).exit_code == 8);
    cluster.server.clear_faults();
    REQUIRE(run(flags({"collector", "deploy"})).exit_code == 0);
    cluster.server.inject({.method = "PUT",
                           .path_regex = deployment_path("cxtm-scheduler"),
                           .status = 500,
                           .times = -1});
    CHECK(run(flags({"-v", "instrument", "scheduler", "--no-validate"})).exit_code == 8);
    CHECK(run(flags({"-o", "json", "instrument", "scheduler", "--no-validate"})).exit_code == 8);
    cluster.server.clear_faults();
    REQUIRE(run(flags({"instrument", "scheduler", "--no-validate"})).exit_code == 0);
    cluster.server.inject({.method = "PUT",
                           .path_regex = deployment_path("cxtm-scheduler"),
                           .status = 500,
                           .times = -1});
    CHECK(run(flags({"-v", "rollback", "scheduler"})).exit_code == 8);

    // validate: passing with the Splunk API token, failing with the canary as the API token (the
    // Splunk double answers 401); the ingest token in the environment both times.
    const cxtm::testing::ValidateWorld world;
    const ExecSpy exec_spy;
    search.secrets.emplace_back(cxtm::testing::kFakeApiToken);
    for (const std::string& api_token :
         {std::string(cxtm::testing::kFakeApiToken), std::string(kCanary)}) {
      for (const std::vector<std::string>& output :
           {std::vector<std::string>{"-v"}, std::vector<std::string>{"-o", "json"}}) {
        std::vector<std::string> argv = {
            "-c",           (world.dir.path() / "cxtm-o11y.yaml").string(),
            "--kubeconfig", (world.dir.path() / "kubeconfig").string(),
            "--kubectl",    exec_spy.path()};
        argv.insert(argv.end(), output.begin(), output.end());
        for (const char* part : {"validate", "--splunk", "--timeout", "30s"})
          argv.emplace_back(part);
        const auto result =
            cxtm::testing::run_cli(argv, {{"CXTM_O11Y_SPLUNK_API_URL", world.splunk.url()},
                                          {"SPLUNK_API_TOKEN", api_token},
                                          {"SPLUNK_ACCESS_TOKEN", kCanary},
                                          {"HOME", world.dir.path().string()}});
        const std::string command = joined(argv) + "with API token " + api_token.substr(0, 6);
        INFO(result.out, result.err);
        CHECK(result.exit_code == (api_token == kCanary ? 1 : 0));
        search.look("stdout of " + command, result.out);
        search.look("stderr of " + command, result.err);
      }
    }

    // Every kubectl the tool started, as the kernel saw its command line.
    const auto command_lines = spy.command_lines();
    CHECK(command_lines.size() > 20);
    for (const auto& argv : command_lines) {
      search.look("kubectl argv " + joined(argv), joined(argv));
    }
    const auto validate_lines = exec_spy.command_lines();
    CHECK(validate_lines.size() > 3);
    for (const auto& line : validate_lines) search.look("kubectl argv " + line, line);
    // And the environments: a kubectl (or a kubeconfig's exec credential plugin under it) never
    // inherits a token, and the tool's own block no longer shows one once it has started.
    auto environments = spy.environments();
    for (auto& environment : exec_spy.environments()) environments.push_back(environment);
    CHECK(environments.size() > command_lines.size());
    for (const auto& environment : environments) {
      if (environment.empty()) continue;      // the tool's own, unreadable when not run as root
      CHECK(contains(environment, "HOME="));  // read whole: the search below means something
      search.look("a kubectl's environment", environment);
    }
    // The backups on disk.
    const auto backups = files_under(cluster.state_dir());
    CHECK_FALSE(backups.empty());
    for (const auto& file : backups) search.look(file.string(), read_file(file));
    // Every object at the server but the Secret, and every request body the server received
    // except the Secret's own.
    const cxtm::testing::Kubectl kubectl(cluster.server);
    const std::string objects =
        kubectl.ok({"get",
                    "configmaps,deployments,daemonsets,services,serviceaccounts,pods,clusterroles,"
                    "clusterrolebindings",
                    "--all-namespaces", "--output=json"});
    CHECK(contains(objects, "cxtm-o11y-backup-cxtm-scheduler"));
    search.look("the objects at the server", objects);
    for (const RecordedRequest& request : cluster.server.requests()) {
      if (request.path == kSecretPath) continue;
      search.look("the body of " + request.method + " " + request.path, request.body);
    }

    // The one place it is: the Secret, which the search does find.
    const auto secret = cluster.server.get(kSecretPath);
    REQUIRE(secret.has_value());
    CanarySearch control{{kCanary, encoded}, {}};
    control.look("the Secret", secret->dump());
    CHECK(control.hits.size() == 1);
    CHECK((*secret)["data"]["splunk_observability_access_token"] == encoded);
    CHECK((*secret)["type"] == "Opaque");
    const Json& metadata = (*secret)["metadata"];
    CHECK(metadata["labels"]["app.kubernetes.io/managed-by"] == "cxtm-o11y");
    CHECK_FALSE(metadata.value("annotations", Json::object())
                    .contains("kubectl.kubernetes.io/last-applied-configuration"));
    CHECK_FALSE(contains(metadata.dump(), encoded));

    for (const auto& hit : search.hits) MESSAGE(hit);
    CHECK(search.hits.empty());
    log_reliability("canary_hits", static_cast<int>(search.hits.size()));
  }
}

TEST_SUITE("integration/faults") {
  TEST_CASE(
      "a damaged stored backup is refused by --exact with why, the other copy used if usable") {
    ClusterCli instrumented;  // each case damages a copy of it
    const Json seeded = instrumented.seed("probes-resources", "cxtm-scheduler");
    REQUIRE(instrumented.run(cxtm::testing::fast({"instrument", "scheduler"})).exit_code == 0);
    for (const Damage& damage : damages()) {
      for (const bool cluster_copy_damaged : {true, false}) {
        for (const bool other_copy_there : {true, false}) {
          CAPTURE(damage.name);
          CAPTURE(cluster_copy_damaged);
          CAPTURE(other_copy_there);
          ClusterCli cluster(CopyOf{instrumented});
          const Json instrumented_state = cluster.deployment("cxtm-scheduler");
          const std::string local = cluster.local_original("cxtm-scheduler").string();
          const std::string damaged = cluster_copy_damaged ? cluster_location() : local;
          const std::string other = cluster_copy_damaged ? local : cluster_location();
          if (cluster_copy_damaged) {
            damage_cluster(cluster, damage);
            if (!other_copy_there) std::filesystem::remove(local);
          } else {
            damage_local(cluster, damage);
            if (!other_copy_there) REQUIRE(cluster.server.erase(kBackupConfigMap));
          }
          const int writes = cluster.server.write_count();

          const auto result =
              cluster.run(cxtm::testing::fast({"rollback", "scheduler", "--exact", "--yes"}));
          INFO(result.out, result.err);
          const std::string refusal =
              damaged + ": not a usable backup: " + damage.why.substr(0, damage.why.find(" ("));
          if (other_copy_there) {
            // Restored from the other copy; the damaged one is named with why.
            CHECK(result.exit_code == 0);
            CHECK(contains(result.out, kScheduler + std::string("restored from ") + other));
            CHECK(contains(result.out, std::string("  warning: ") +
                                           (cluster_copy_damaged ? "cluster" : "local") +
                                           " backup skipped: " + refusal));
            const Json live = cluster.deployment("cxtm-scheduler");
            CHECK(same_json(live["spec"]["template"], seeded["spec"]["template"]));
            CHECK_FALSE(cxtm::testing::carries_our_annotations(live));
          } else {
            // Nothing usable: refused in one line saying why, nothing written.
            CHECK(result.exit_code == 4);
            const auto errors = lines_starting(result.err, kErrorPrefix);
            REQUIRE(errors.size() == 1);
            CHECK(errors[0].starts_with(kErrorPrefix + std::string(kScheduler) +
                                        "no usable original backup of Deployment "
                                        "default/cxtm-scheduler"));
            CHECK(contains(errors[0], refusal));
            CHECK(same_essence(cluster.deployment("cxtm-scheduler"), instrumented_state));
            CHECK(cluster.server.write_count() == writes);
          }
        }
      }
    }
  }

  TEST_CASE("both stored backups damaged: --exact is refused with both reasons, nothing written") {
    ClusterCli cluster;
    cluster.seed("probes-resources", "cxtm-scheduler");
    REQUIRE(cluster.run(cxtm::testing::fast({"instrument", "scheduler"})).exit_code == 0);
    const Json instrumented_state = cluster.deployment("cxtm-scheduler");
    const Damage& truncated = damages().front();
    const Damage& tampered = damages().back();
    damage_cluster(cluster, tampered);
    damage_local(cluster, truncated);
    const int writes = cluster.server.write_count();

    const auto result =
        cluster.run(cxtm::testing::fast({"rollback", "scheduler", "--exact", "--yes"}));
    INFO(result.out, result.err);
    CHECK(result.exit_code == 4);
    const auto errors = lines_starting(result.err, kErrorPrefix);
    REQUIRE(errors.size() == 1);
    CHECK(contains(errors[0], "no usable original backup of Deployment default/cxtm-scheduler"));
    CHECK(contains(result.err, "  warning: local backup skipped: " +
                                   cluster.local_original("cxtm-scheduler").string() +
                                   ": not a usable backup: " + truncated.why));
    CHECK(contains(result.err, "  warning: cluster backup skipped: " + cluster_location() +
                                   ": not a usable backup: " + tampered.why));
    CHECK(same_essence(cluster.deployment("cxtm-scheduler"), instrumented_state));
    CHECK(cluster.server.write_count() == writes);
  }

  TEST_CASE("rollback --from a bad file is refused in one line that points to the stored copy") {
    ClusterCli cluster;
    cluster.seed("probes-resources", "cxtm-scheduler");
    cluster.seed("minimal", "cxtm-notifications");
    REQUIRE(
        cluster.run(cxtm::testing::fast({"instrument", "scheduler", "notifications"})).exit_code ==
        0);
    const Json instrumented_state = cluster.deployment("cxtm-scheduler");
    const std::string good = read_file(cluster.local_original("cxtm-scheduler"));
    const auto dir = cluster.state_dir().parent_path();
    struct BadFile {
      std::string name;
      std::string path;
      std::string why;
    };
    std::vector<BadFile> files;
    for (const Damage& damage : damages()) {
      const auto path = dir / ("from-" + std::to_string(files.size()) + ".json");
      cxtm::write_file_atomic(path, damage.apply(good));
      files.push_back({damage.name, path.string(),
                       path.string() + ": not a usable backup: " +
                           damage.why.substr(0, damage.why.find(" ("))});
    }
    files.push_back({"missing", (dir / "missing.json").string(),
                     (dir / "missing.json").string() + ": cannot read the file"});
    files.push_back({"a backup of another Deployment",
                     cluster.local_original("cxtm-notifications").string(),
                     " is a backup of default/cxtm-notifications, not of default/cxtm-scheduler"});
    const int writes = cluster.server.write_count();
    for (const BadFile& file : files) {
      CAPTURE(file.name);
      const auto result =
          cluster.run(cxtm::testing::fast({"rollback", "scheduler", "--from", file.path, "--yes"}));
      INFO(result.out, result.err);
      CHECK(result.exit_code == 2);
      const auto errors = lines_starting(result.err, kErrorPrefix);
      REQUIRE(errors.size() == 1);
      CHECK(errors[0].starts_with(kErrorPrefix + std::string(kScheduler)));
      CHECK(contains(errors[0], file.why));
      if (file.name != "a backup of another Deployment") {
        CHECK(errors[0].ends_with("; the original stored at " +
                                  cluster.local_original("cxtm-scheduler").string() +
                                  " is usable: --exact instead of --from restores it"));
      }
    }
    CHECK(cluster.server.write_count() == writes);
    CHECK(same_essence(cluster.deployment("cxtm-scheduler"), instrumented_state));
  }

  TEST_CASE("names that try to escape are refused before kubectl runs") {
    ClusterCli cluster;
    cluster.seed("minimal", "cxtm-scheduler");
    const std::vector<std::vector<std::string>> commands = {
        {"instrument", "../../../etc/passwd"},
        {"instrument", "--", "--kubeconfig=/etc/shadow"},
        {"rollback", "--", "-n"},
        {"backup", "show", "../scheduler"},
        {"status", "scheduler/../../x"},
        {"-n", "../../tmp", "instrument", "scheduler"},
        {"-n", "default;rm -rf /", "rollback", "scheduler"},
        {"-n", "--kubeconfig=x", "backup", "create", "scheduler"},
    };
    for (const auto& command : commands) {
      const std::string shown = joined(command);
      CAPTURE(shown);
      const auto result = cluster.run(command);
      INFO(result.out, result.err);
      CHECK(result.exit_code == 2);
      CHECK(cxtm::testing::line_count(result.err) == 1);
    }
    // The same in the config: a service or Deployment name that is a path or a flag.
    for (const std::string& services :
         {std::string("  ../x:\n    deployment: x\n"), std::string("  x:\n    deployment: ../x\n"),
          std::string("  x:\n    deployment: --kubeconfig=/etc/shadow\n"),
          std::string("  --all:\n    deployment: x\n")}) {
      CAPTURE(services);
      const ClusterCli bad(services);
      const auto result = bad.run({"instrument", "--all"});
      INFO(result.out, result.err);
      CHECK(result.exit_code == 2);
      CHECK(cxtm::testing::line_count(result.err) == 1);
      CHECK(bad.server.requests().empty());
      CHECK_FALSE(std::filesystem::exists(bad.state_dir()));
    }
    CHECK(cluster.server.requests().empty());
    CHECK_FALSE(std::filesystem::exists(cluster.state_dir()));
  }
}

// ---- faults on the undo that follows a failure ----

TEST_SUITE("integration/faults") {
  TEST_CASE(
      "instrument: the restore after a failed rollout fails too: one line says both and the "
      "command that finishes") {
    ClusterCli cluster;
    cluster.seed("probes-resources", "cxtm-scheduler");
    // The instrumented pods crash; the original's start.
    auto crash = cxtm::testing::PodBehaviour::crash_loop("ModuleNotFoundError", 1);
    crash.when_init_container = "otel-auto-instrumentation";
    cluster.server.set_pod_behaviour("cxtm-scheduler", crash);
    // The first PUT of the Deployment that lands instruments it; every later one (the restore,
    // and its retries after the re-read: a single 500 would be retried and pass) fails.
    const std::string path = deployment_path("cxtm-scheduler");
    cluster.inject_from_write(
        [path](int, const std::string& method, const std::string& written) {
          return method == "PUT" && written == path;
        },
        {.method = "PUT", .path_regex = "^" + path, .status = 500, .times = -1});
    const auto result = run_with_token(
        cluster, with_flags({"instrument", "scheduler", "--no-validate"}, false), "");
    INFO(result.out, result.err);
    CHECK(result.exit_code == 1);
    const auto errors = lines_starting(result.err, kErrorPrefix);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].starts_with(kErrorPrefix + std::string(kScheduler) +
                                "rollout failed: cxtm-scheduler-"));
    CHECK(contains(errors[0],
                   "ModuleNotFoundError; rolling back failed too (kubectl replace "
                   "Deployment default/cxtm-scheduler: "));
    CHECK(contains(errors[0], "(InternalError)"));
    // The service's name, which rollback takes; not the Deployment's.
    CHECK(errors[0].ends_with("; run `cxtm-o11y rollback scheduler`"));
    // The original is backed up, so that command can finish it.
    CHECK(cluster.backup_configmap("cxtm-scheduler").has_value());
    cluster.server.on_write(nullptr);
    cluster.server.clear_faults();  // the outage ends
    const auto finished = run_with_token(cluster, with_flags({"rollback", "scheduler"}, false), "");
    INFO(finished.out, finished.err);
    CHECK(finished.exit_code == 0);
    CHECK_FALSE(cxtm::testing::carries_our_annotations(cluster.deployment("cxtm-scheduler")));
  }

  TEST_CASE(
      "collector deploy: an object that cannot be put back after a crash loop does not "
      "stop the undo of the others, and the line names it") {
    ClusterCli cluster;
    cluster.server.set_pod_behaviour("otel-collector",
                                     cxtm::testing::PodBehaviour::crash_loop("bad config", 1));
    // Every time: a single 500 is asked again and passes.
    cluster.server.inject({.method = "DELETE",
                           .path_regex = "/configmaps/otel-collector",
                           .status = 500,
                           .times = -1});
    const auto result =
        run_with_token(cluster, with_flags({"collector", "deploy"}, false), kMatrixToken);
    INFO(result.out, result.err);
    CHECK(result.exit_code == 1);
    CHECK(contains(result.out,
                   "pods are failing: 0/2 pods ready, 2/2 updated; putting back the previous "
                   "objects FAILED for 1 of 7 (kubectl delete ConfigMap default/otel-collector: "));
    CHECK(contains(result.out,
                   "run `cxtm-o11y collector deploy` again, or `cxtm-o11y collector delete`\n"));
    // Every other object was undone; the ConfigMap stays, as the line says.
    for (const auto& path : kCollectorObjects) {
      CAPTURE(path);
      CHECK(cluster.server.get(path).has_value() == contains(path, "/configmaps/"));
    }
  }
}

}  // namespace test_integration_faults
