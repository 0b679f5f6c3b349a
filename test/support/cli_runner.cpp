#include "support/cli_runner.h"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "core/atomic_file.h"

namespace cxtm::testing {

const std::string& binary_under_test() {
  static const std::string binary = [] {
    const char* named = std::getenv("CXTM_TEST_BINARY");
    return std::string(named != nullptr && *named != '\0' ? named : CXTM_BINARY);
  }();
  return binary;
}

kube::ProcessResult run_cli(const std::vector<std::string>& arguments,
                            const std::map<std::string, std::string>& env,
                            const std::string& stdin_data) {
  std::vector<std::string> argv = {binary_under_test()};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return kube::run_process({.argv = argv,
                            .stdin_data = stdin_data,
                            .timeout = std::chrono::seconds(120),
                            .env_overrides = env});
}

kube::ProcessResult run_interrupted(const std::vector<std::string>& argv,
                                    const std::map<std::string, std::string>& env,
                                    const std::filesystem::path& scratch_dir,
                                    const std::function<bool()>& when) {
  const auto pid_file = scratch_dir / "cli.pid";
  std::filesystem::remove(pid_file);
  // The shell writes its pid and becomes the program.
  std::vector<std::string> command = {"/bin/sh", "-c", "echo $$ > \"$0\"; exec \"$@\"",
                                      pid_file.string()};
  command.insert(command.end(), argv.begin(), argv.end());
  kube::ProcessResult result;
  std::thread child([&] {
    result = kube::run_process(
        {.argv = command, .timeout = std::chrono::seconds(120), .env_overrides = env});
  });
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (!when() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::string pid;
  while (pid.empty() && std::chrono::steady_clock::now() < give_up) {
    if (std::filesystem::exists(pid_file)) pid = read_file(pid_file);
    if (pid.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!pid.empty()) ::kill(std::stoi(pid), SIGINT);
  child.join();
  return result;
}

int line_count(const std::string& text) {
  if (text.empty()) return 0;
  return static_cast<int>(std::count(text.begin(), text.end(), '\n')) +
         (text.back() == '\n' ? 0 : 1);
}

}  // namespace cxtm::testing
