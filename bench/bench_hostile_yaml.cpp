// Prints what hostile YAML costs the real binary: `cxtm-o11y lint FILE` and `cxtm-o11y -c FILE
// render` on each input of test/support/hostile_yaml.h, wall time and peak RSS (median of
// three runs), and on the largest inputs within the limits, which are read and linted (rows
// marked "(ok)"), beside the same commands on the bundled example. Figures only; the test with a
// generous bound is test/test_integration_hostile_yaml.cpp. The target: every hostile
// input answered in under 0.2 s and 64 MB.
#include <fcntl.h>
#include <malloc.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "core/private_directory.h"
#include "support/hostile_yaml.h"

namespace {

struct Cost {
  double seconds = 0;
  double peak_mib = 0;
  int exit_code = 0;
};

// One run of the binary, its output thrown away. The child's peak RSS counts what it shared of
// this process's memory until its exec, so the inputs are on disk and freed before any run.
Cost run_once(const std::vector<std::string>& arguments) {
  std::vector<std::string> owned = {CXTM_BINARY};
  owned.insert(owned.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& argument : owned) argv.push_back(argument.data());
  argv.push_back(nullptr);
  std::fflush(stdout);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  return {std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
          static_cast<double>(usage.ru_maxrss) / 1024.0,
          WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)};
}

Cost median_of_three(const std::vector<std::string>& arguments) {
  std::vector<Cost> runs;
  for (int i = 0; i < 3; ++i) runs.push_back(run_once(arguments));
  std::sort(runs.begin(), runs.end(),
            [](const Cost& a, const Cost& b) { return a.seconds < b.seconds; });
  Cost median = runs[1];
  median.peak_mib = std::max({runs[0].peak_mib, runs[1].peak_mib, runs[2].peak_mib});
  return median;
}

void print_row(const std::string& input, const std::string& command, const Cost& cost,
               const Cost& baseline) {
  std::printf("%-20s %-8s %6d %10.3f %10.1f %10.1fx %8.1fx\n", input.c_str(), command.c_str(),
              cost.exit_code, cost.seconds, cost.peak_mib, cost.seconds / baseline.seconds,
              cost.peak_mib / baseline.peak_mib);
}

}  // namespace

int main() {
  const cxtm::PrivateDirectory scratch("cxtm-bench-hostile");
  const std::string example = CXTM_SOURCE_DIR "/examples/cxtm-poc.yaml";
  const Cost lint_baseline = median_of_three({"-c", example, "lint"});
  const Cost render_baseline = median_of_three({"-c", example, "render"});
  std::printf("%-20s %-8s %6s %10s %10s %11s %9s\n", "input", "command", "exit", "seconds",
              "peak MiB", "time/base", "mem/base");
  print_row("bundled example", "lint", lint_baseline, lint_baseline);
  print_row("bundled example", "render", render_baseline, render_baseline);
  std::vector<std::pair<std::string, std::string>> files;  // name, path
  {
    auto inputs = cxtm::testing::hostile_yaml_inputs();
    for (auto& accepted : cxtm::testing::largest_accepted_yaml()) {
      accepted.name += " (ok)";
      inputs.push_back(std::move(accepted));
    }
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const auto path = (scratch.path() / ("hostile-" + std::to_string(i) + ".yaml")).string();
      cxtm::testing::write_hostile_yaml(path, inputs[i]);
      files.emplace_back(inputs[i].name, path);
    }
  }
  malloc_trim(0);
  double worst_seconds = 0;
  double worst_mib = 0;
  for (const auto& [name, file] : files) {
    const Cost lint = median_of_three({"lint", file});
    const Cost render = median_of_three({"-c", file, "render"});
    print_row(name, "lint", lint, lint_baseline);
    print_row(name, "render", render, render_baseline);
    worst_seconds = std::max({worst_seconds, lint.seconds, render.seconds});
    worst_mib = std::max({worst_mib, lint.peak_mib, render.peak_mib});
  }
  std::printf("worst input: %.3f s, %.1f MiB peak RSS (target: under 0.2 s and 64 MB)\n",
              worst_seconds, worst_mib);
  return 0;
}
