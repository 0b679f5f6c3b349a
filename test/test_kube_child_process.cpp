// A program the tool keeps running (kube/child_process.h): its output as it comes, a program
// that cannot run refused at once, and no child left behind when the tool dies, even by SIGKILL
// (a `kubectl proxy` would otherwise serve on for good).
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "core/error.h"
#include "kube/child_process.h"

namespace test_kube_child_process {

using cxtm::kube::ChildProcess;

namespace {

// Whether pid is gone, or a zombie nobody has reaped yet: it runs no more.
bool ended(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  const auto state_at = line.rfind(')') + 2;
  return state_at < line.size() && (line[state_at] == 'Z' || line[state_at] == 'X');
}

}  // namespace

TEST_SUITE("kube/child_process") {
  TEST_CASE("output as it comes, and the exit code once stopped") {
    ChildProcess child({"sh", "-c", "echo ready; exec sleep 30"});
    CHECK(child.wait_for_output(
        [](std::string_view out) { return out.find("ready\n") != std::string_view::npos; },
        std::chrono::seconds(30)));
    CHECK(child.stop() == 128 + SIGTERM);
  }

  TEST_CASE("a program that cannot be run is an error naming it, at once") {
    CHECK_THROWS_WITH_AS(ChildProcess({"/nonexistent/kubectl", "proxy"}),
                         "cannot run /nonexistent/kubectl: No such file or directory", cxtm::Error);
  }

  TEST_CASE("the child ends when the process that started it is killed with SIGKILL") {
    int pid_pipe[2];
    REQUIRE(::pipe(pid_pipe) == 0);
    const pid_t tool = ::fork();
    REQUIRE(tool >= 0);
    if (tool == 0) {
      // The "tool": starts a long-running child, tells its pid, and waits to be killed.
      ChildProcess child({"sleep", "300"});
      const std::string started = "started\n";
      (void)!::write(pid_pipe[1], started.data(), started.size());
      ::pause();
      ::_exit(0);
    }
    ::close(pid_pipe[1]);
    char buffer[32] = {};
    REQUIRE(::read(pid_pipe[0], buffer, sizeof buffer - 1) > 0);
    ::close(pid_pipe[0]);
    // The sleep is the child of the tool's reader thread: find it among the tool's tasks.
    pid_t sleeper = 0;
    for (int look = 0; look < 500 && sleeper == 0; ++look) {
      for (const auto& task :
           std::filesystem::directory_iterator("/proc/" + std::to_string(tool) + "/task")) {
        std::ifstream children(task.path() / "children");
        pid_t pid = 0;
        if (children >> pid) sleeper = pid;
      }
      if (sleeper == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE(sleeper != 0);
    CHECK_FALSE(ended(sleeper));
    REQUIRE(::kill(tool, SIGKILL) == 0);
    REQUIRE(::waitpid(tool, nullptr, 0) == tool);
    for (int look = 0; look < 3000 && !ended(sleeper); ++look) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(ended(sleeper));
    if (!ended(sleeper)) ::kill(sleeper, SIGKILL);
  }
}

}  // namespace test_kube_child_process
