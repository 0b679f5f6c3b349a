// Fleet speed (issue 17): instrument, rollback and status of N services against the API server
// double with per-request latency and a rollout that takes time, beside the proof of concept's
// shell way (bench/poc-instrument.sh) and the tool's start-up. Prints a Markdown table: medians
// of --runs runs, and the ratios of the medians. Figures, not assertions; --check makes the
// small CI run fail only when a command itself fails.
//
//   bench_fleet [--sizes 1,10,50] [--runs 3] [--poc N] [--latency-ms 10] [--rollout-s 2]
//               [--startup-runs 21] [--check]
#include <fcntl.h>
#include <fmt/core.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/atomic_file.h"
#include "core/json.h"
#include "core/split.h"
#include "fixtures/fake_kube_api_server.h"

extern char** environ;

namespace fs = std::filesystem;
using cxtm::Json;
using cxtm::testing::FakeKubeApiServer;
using cxtm::testing::Fault;
using cxtm::testing::FaultAnswer;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::vector<int> sizes = {1, 10, 50};
  int runs = 3;
  int poc = 50;  // 0: skip the shell way
  int latency_ms = 10;
  double rollout_s = 2;
  int startup_runs = 21;  // runs of each start-up measured (--version, --help, render)
  bool check = false;
};

// What one run of a program cost.
struct Run {
  double seconds = 0;
  int exit_code = -1;
  long peak_tree_kib = 0;  // the most the program and its children held at once (RSS)
  long peak_kib = 0;       // the program's own high-water mark (VmHWM), as last sampled
  int kubectl = 0;         // kubectl processes started
  int shared = 0;          // of them, the LISTs and WATCHes (get --raw) every service shares
  size_t requests = 0;     // API requests answered
};

long rss_kib(int pid) {
  std::ifstream statm(fmt::format("/proc/{}/statm", pid));
  long size = 0;
  long resident = 0;
  statm >> size >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

// The RSS of pid and all its descendants now, from /proc.
long tree_rss_kib(int root) {
  std::map<int, std::vector<int>> children;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    std::getline(stat, line);
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    char state = 0;
    int parent = 0;
    rest >> state >> parent;
    children[parent].push_back(std::stoi(name));
  }
  long total = 0;
  std::vector<int> pending = {root};
  while (!pending.empty()) {
    const int pid = pending.back();
    pending.pop_back();
    total += rss_kib(pid);
    for (int child : children[pid]) pending.push_back(child);
  }
  return total;
}

// The process's own high-water mark of RSS (VmHWM), 0 once it has ended.
long high_water_kib(int pid) {
  std::ifstream status(fmt::format("/proc/{}/status", pid));
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmHWM:")) return std::stol(line.substr(6));
  }
  return 0;
}

// How a run's memory is watched: the whole tree every 20 ms (a fleet's kubectl processes), or
// the program alone every millisecond (a start-up of a few milliseconds). getrusage cannot say:
// a child spawned by a large parent inherits the parent's high-water mark.
enum class Sampling { tree, program };

// Runs argv with its output to files in dir, sampling its memory.
Run run_program(const std::vector<std::string>& argv, const fs::path& dir,
                const std::map<std::string, std::string>& env, Sampling sampling = Sampling::tree) {
  std::vector<std::string> environment;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    if (!env.contains(entry.substr(0, entry.find('=')))) environment.push_back(entry);
  }
  for (const auto& [key, value] : env) environment.push_back(key + "=" + value);
  std::vector<char*> env_pointers;
  for (auto& entry : environment) env_pointers.push_back(entry.data());
  env_pointers.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> pointers;
  for (auto& argument : args) pointers.push_back(argument.data());
  pointers.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string out = (dir / "out.txt").string();
  const std::string err = (dir / "err.txt").string();
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  Run run;
  const auto start = Clock::now();
  pid_t pid = 0;
  if (posix_spawnp(&pid, pointers[0], &actions, nullptr, pointers.data(), env_pointers.data()) !=
      0) {
    throw std::runtime_error("cannot run " + argv[0]);
  }
  posix_spawn_file_actions_destroy(&actions);
  std::atomic<bool> done = false;
  std::thread sampler([&] {
    while (!done) {
      if (sampling == Sampling::tree) {
        run.peak_tree_kib = std::max(run.peak_tree_kib, tree_rss_kib(pid));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      } else {
        run.peak_kib = std::max(run.peak_kib, high_water_kib(pid));
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    }
  });
  int status = 0;
  waitpid(pid, &status, 0);
  run.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  done = true;
  sampler.join();
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string service_name(int i) {
  return fmt::format("svc-{:02}", i);
}

Json deployment(const std::string& name) {
  const Json labels = {{"app.kubernetes.io/name", name}};
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", {{"name", name}, {"namespace", "default"}, {"labels", labels}}},
          {"spec",
           {{"replicas", 1},
            {"selector", {{"matchLabels", labels}}},
            {"template",
             {{"metadata", {{"labels", labels}}},
              {"spec",
               {{"containers",
                 {{{"name", "app"},
                   {"image", fmt::format("registry.example/cxtm/{}:1.0", name)},
                   {"command", {"python", "-m", "flask", "run", "--host=0.0.0.0"}},
                   {"ports", {{{"containerPort", 5000}}}}}}}}}}}}}};
}

// A cluster of `size` ready Deployments with latency on every request, a config naming them,
// and a kubectl that counts its starts.
class Fleet {
 public:
  Fleet(const Options& options, int size, const fs::path& dir)
      : server_({.scale = 0.01,
                 .container_start = options.rollout_s * 100 * 0.75,
                 .init_run = options.rollout_s * 100 * 0.25}),
        dir_(dir),
        size_(size) {
    fs::create_directories(dir_);
    kubeconfig_ = server_.write_kubeconfig(dir_);
    std::string services;
    for (int i = 1; i <= size; ++i) {
      server_.put_object(deployment(service_name(i)));
      services += fmt::format("  {0}:\n    deployment: {0}\n", service_name(i));
    }
    cxtm::write_file_atomic(dir_ / "cxtm-o11y.yaml",
                            "cluster: bench\nnamespace: default\nenvironment: bench\n"
                            "splunk:\n  realm: us1\n  access_token:\n"
                            "    env: SPLUNK_ACCESS_TOKEN\n    secret: splunk-access-token\n"
                            "services:\n" +
                                services);
    const std::string counter = (dir_ / "kubectl.count").string();
    cxtm::write_file_atomic(dir_ / "kubectl",
                            fmt::format("#!/bin/sh\n{{ printf '%s' \"$*\" | tr '\\n' ' '; echo; }} "
                                        ">> '{}'\nexec kubectl \"$@\"\n",
                                        counter));
    fs::permissions(dir_ / "kubectl", fs::perms::owner_all);
    for (int i = 1; i <= size; ++i) {
      server_.await_rollout("/apis/apps/v1/namespaces/default/deployments/" + service_name(i),
                            std::chrono::seconds(60));
    }
    ready_ = server_.snapshot();
    server_.inject({.path_regex = ".*",
                    .answer = FaultAnswer::hang,
                    .times = -1,
                    .delay = std::chrono::milliseconds(options.latency_ms)});
  }

  // The cluster as it was once seeded, the tool's local backups gone (kubectl's discovery
  // cache kept, as on an engineer's machine).
  void reset() {
    server_.restore(*ready_);
    fs::create_directories(dir_ / "home");
    for (const auto& entry : fs::directory_iterator(dir_ / "home")) {
      if (entry.path().filename() != ".kube") fs::remove_all(entry.path());
    }
  }

  std::vector<std::string> deployments() const {
    std::vector<std::string> names;
    for (int i = 1; i <= size_; ++i) names.push_back(service_name(i));
    return names;
  }

  Run run(std::vector<std::string> argv) {
    fs::remove(dir_ / "kubectl.count");
    const size_t before = server_.requests().size();
    Run result = run_program(argv, dir_,
                             {{"HOME", (dir_ / "home").string()},
                              {"KUBECONFIG", kubeconfig_.string()},
                              {"CXTM_O11Y_CONFIG", (dir_ / "cxtm-o11y.yaml").string()},
                              // No token, no change event: nothing leaves this machine.
                              {"SPLUNK_ACCESS_TOKEN", ""},
                              {"NO_COLOR", "1"}});
    result.requests = server_.requests().size() - before;
    const std::string counted = read_text(dir_ / "kubectl.count");
    for (const auto& line : cxtm::split_nonempty(counted, "\n")) {
      ++result.kubectl;
      if (line.find(" --raw ") != std::string::npos) ++result.shared;
    }
    return result;
  }

  Run tool(const std::vector<std::string>& arguments) {
    std::vector<std::string> argv = {CXTM_BINARY, "--kubectl", (dir_ / "kubectl").string()};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    return run(argv);
  }

  Run poc_shell() {
    fs::create_directories(dir_ / "poc-backups");
    std::vector<std::string> argv = {CXTM_SOURCE_DIR "/bench/poc-instrument.sh",
                                     (dir_ / "kubectl").string(), (dir_ / "poc-backups").string()};
    for (const auto& name : deployments()) argv.push_back(name);
    return run(argv);
  }

  std::string output() const { return read_text(dir_ / "out.txt") + read_text(dir_ / "err.txt"); }

 private:
  FakeKubeApiServer server_;
  fs::path dir_;
  int size_;
  fs::path kubeconfig_;
  std::shared_ptr<const FakeKubeApiServer::Snapshot> ready_;
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values.empty() ? 0 : values[values.size() / 2];
}

// Medians of runs.
struct Figures {
  double seconds = 0;
  double kubectl = 0;
  double shared = 0;
  double requests = 0;
  double peak_tree_mib = 0;
  int failures = 0;
};

template <typename Each>
Figures measure(int runs, Each each) {
  std::vector<double> seconds, kubectl, shared, requests, tree;
  Figures figures;
  for (int i = 0; i < runs; ++i) {
    const Run run = each();
    if (run.exit_code != 0) ++figures.failures;
    seconds.push_back(run.seconds);
    kubectl.push_back(run.kubectl);
    shared.push_back(run.shared);
    requests.push_back(static_cast<double>(run.requests));
    tree.push_back(run.peak_tree_kib / 1024.0);
  }
  figures.seconds = median(seconds);
  figures.kubectl = median(kubectl);
  figures.shared = median(shared);
  figures.requests = median(requests);
  figures.peak_tree_mib = median(tree);
  return figures;
}

void print_row(const std::string& what, int size, const Figures& f) {
  fmt::print("| {} | {} | {:.2f} s | {:.0f} ({:.0f} shared) | {:.2f} | {:.0f} | {:.0f} MiB | {}\n",
             what, size, f.seconds, f.kubectl, f.shared,
             size > 0 ? (f.kubectl - f.shared) / size : 0, f.requests, f.peak_tree_mib,
             f.failures == 0 ? "|" : fmt::format("{} failed |", f.failures));
}

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    const auto value = [&] {
      if (i + 1 >= argc) throw std::runtime_error(flag + " needs a value");
      return std::string(argv[++i]);
    };
    if (flag == "--sizes") {
      options.sizes.clear();
      for (const auto& size : cxtm::split_nonempty(value(), ",")) {
        options.sizes.push_back(std::stoi(size));
      }
    } else if (flag == "--runs") {
      options.runs = std::stoi(value());
    } else if (flag == "--poc") {
      options.poc = std::stoi(value());
    } else if (flag == "--latency-ms") {
      options.latency_ms = std::stoi(value());
    } else if (flag == "--rollout-s") {
      options.rollout_s = std::stod(value());
    } else if (flag == "--startup-runs") {
      options.startup_runs = std::stoi(value());
    } else if (flag == "--check") {
      options.check = true;
    } else {
      throw std::runtime_error("unknown flag " + flag);
    }
  }
  return options;
}

// Start-up of a command that needs no cluster: median wall time of `runs` runs and the largest
// high-water mark sampled.
std::pair<double, double> startup(const std::vector<std::string>& argv, const fs::path& dir,
                                  const std::map<std::string, std::string>& env, int runs) {
  std::vector<double> seconds;
  long rss = 0;
  for (int i = 0; i < runs; ++i) {
    const Run run = run_program(argv, dir, env, Sampling::program);
    seconds.push_back(run.seconds);
    rss = std::max(rss, run.peak_kib);
  }
  return {median(seconds) * 1000, rss / 1024.0};
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  const fs::path root = fs::temp_directory_path() / fmt::format("cxtm-bench-fleet-{}", getpid());
  fs::create_directories(root);
  int failures = 0;
  fmt::print("API double: {} ms per request; a rollout takes {} s; {} run(s) each, medians.\n\n",
             options.latency_ms, options.rollout_s, options.runs);
  fmt::print(
      "| command | N | wall time | kubectl processes (lists and watches shared) | per service "
      "beyond the shared | API requests | peak RSS (process tree) | |\n"
      "|---|---|---|---|---|---|---|---|\n");
  std::map<int, Figures> instrument;
  Figures poc;
  for (int size : options.sizes) {
    Fleet fleet(options, size, root / fmt::format("n{}", size));
    const auto instrument_run = [&] {
      fleet.reset();
      Run run = fleet.tool({"instrument", "--all", "--no-validate"});
      if (run.exit_code != 0) fmt::print(stderr, "instrument N={}:\n{}\n", size, fleet.output());
      return run;
    };
    instrument[size] = measure(options.runs, instrument_run);
    print_row("instrument --all", size, instrument[size]);
    failures += instrument[size].failures;
    if (size == options.sizes.back()) {
      const Figures status = measure(options.runs, [&] { return fleet.tool({"status"}); });
      print_row("status (instrumented)", size, status);
      failures += status.failures;
      const Figures rollback = measure(options.runs, [&] {
        fleet.reset();
        instrument_run();
        Run run = fleet.tool({"rollback", "--all"});
        if (run.exit_code != 0) fmt::print(stderr, "rollback N={}:\n{}\n", size, fleet.output());
        return run;
      });
      print_row("rollback --all", size, rollback);
      failures += rollback.failures;
    }
  }
  if (options.poc > 0) {
    Fleet fleet(options, options.poc, root / fmt::format("poc{}", options.poc));
    poc = measure(1, [&] {
      fleet.reset();
      Run run = fleet.poc_shell();
      if (run.exit_code != 0) fmt::print(stderr, "POC shell:\n{}\n", fleet.output());
      return run;
    });
    print_row("POC shell, sequential", options.poc, poc);
    failures += poc.failures;
  }
  const int smallest = options.sizes.front();
  const int largest = options.sizes.back();
  fmt::print("\n");
  if (instrument[smallest].seconds > 0) {
    fmt::print("- instrument N={} / N={}: {:.2f} (target <= 1.3)\n", largest, smallest,
               instrument[largest].seconds / instrument[smallest].seconds);
  }
  if (options.poc > 0 && instrument.contains(options.poc)) {
    fmt::print("- POC shell / instrument at N={}: {:.1f} (target >= 15)\n", options.poc,
               poc.seconds / instrument[options.poc].seconds);
  }

  const fs::path quiet = root / "startup";
  fs::create_directories(quiet);
  const std::map<std::string, std::string> env = {
      {"HOME", quiet.string()}, {"CXTM_O11Y_CONFIG", CXTM_SOURCE_DIR "/examples/cxtm-poc.yaml"}};
  const auto [truth_ms, truth_rss] = startup({"/bin/true"}, quiet, env, options.startup_runs);
  const auto [version_ms, version_rss] =
      startup({CXTM_BINARY, "--version"}, quiet, env, options.startup_runs);
  const auto [help_ms, help_rss] =
      startup({CXTM_BINARY, "--help"}, quiet, env, options.startup_runs);
  const auto [render_ms, render_rss] =
      startup({CXTM_BINARY, "render"}, quiet, env, options.startup_runs);
  fmt::print(
      "\n| start-up (median of 21) | wall time | peak RSS (sampled) |\n|---|---|---|\n"
      "| /bin/true | {:.1f} ms | {:.1f} MiB |\n| cxtm-o11y --version | {:.1f} ms | {:.1f} MiB |\n"
      "| cxtm-o11y --help | {:.1f} ms | {:.1f} MiB |\n| cxtm-o11y render | {:.1f} ms | {:.1f} MiB "
      "|\n",
      truth_ms, truth_rss, version_ms, version_rss, help_ms, help_rss, render_ms, render_rss);
  fs::remove_all(root);
  return options.check && failures > 0 ? 1 : 0;
}
