#include "support/kubectl_spy.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>

namespace cxtm::testing {

KubectlSpy::KubectlSpy(const std::string& real_kubectl) {
  // $PPID is whoever ran the spy: cxtm-o11y, which starts kubectl without a shell between. The
  // kill comes after kubectl has exited and before the spy does, so cxtm-o11y, still waiting for
  // its child, never sees the answer.
  dir_.write("kubectl",
             fmt::format("#!/bin/sh\n"
                         "d='{0}'\n"
                         // A watch or a proxy (which carries the waits' watches) is recorded as
                         // call 0: it ends only when the tool stops it.
                         "case \"$*\" in *watch=1*|*\" proxy \"*)\n"
                         "  echo \"$PPID\" > \"$d/caller\"\n"
                         "  cat /proc/$$/cmdline > \"$d/cmdline.0.$$\"\n"
                         "  cat /proc/$$/environ > \"$d/environ.0.$$\"\n"
                         "  cat /proc/$PPID/environ > \"$d/environ.0.caller.$$\" 2>/dev/null\n"
                         "  exec '{1}' \"$@\";;\n"
                         "esac\n"
                         // Calls may overlap (the lists a wave's watches begin with): one count.
                         "n=$(flock \"$d/lock\" sh -c 'n=$(( $(cat \"$1/count\" 2>/dev/null || "
                         "echo 0) + 1 )); echo \"$n\" > \"$1/count\"; echo \"$n\"' sh \"$d\")\n"
                         "echo \"$PPID\" > \"$d/caller\"\n"
                         "cat /proc/$$/cmdline > \"$d/cmdline.$n.$$\"\n"
                         "cat /proc/$$/environ > \"$d/environ.$n.$$\"\n"
                         "cat /proc/$PPID/environ > \"$d/environ.$n.caller.$$\" 2>/dev/null\n"
                         "'{1}' \"$@\"\n"
                         "rc=$?\n"
                         "if [ \"$n\" = \"$(cat \"$d/kill_after\" 2>/dev/null)\" ]; then\n"
                         "  kill -9 \"$PPID\"\n"
                         "fi\n"
                         "exit $rc\n",
                         dir_.path().string(), real_kubectl),
             true);
}

std::string KubectlSpy::path() const {
  return (dir_.path() / "kubectl").string();
}

void KubectlSpy::kill_caller_after(int call) const {
  dir_.write("kill_after", std::to_string(call) + "\n");
}

int KubectlSpy::calls() const {
  if (!std::filesystem::exists(dir_.path() / "count")) return 0;
  return std::stoi(dir_.read("count"));
}

pid_t KubectlSpy::caller() const {
  if (!std::filesystem::exists(dir_.path() / "caller")) return 0;
  const std::string pid = dir_.read("caller");
  return pid.empty() ? 0 : static_cast<pid_t>(std::stol(pid));
}

std::vector<std::vector<std::string>> KubectlSpy::command_lines() const {
  std::multimap<int, std::vector<std::string>> by_call;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("cmdline.", 0) != 0) continue;
    const std::string raw = dir_.read(name);
    std::vector<std::string> argv;
    size_t start = 0;
    for (size_t end; (end = raw.find('\0', start)) != std::string::npos; start = end + 1) {
      argv.push_back(raw.substr(start, end - start));
    }
    // cmdline.<call>.<pid>: overlapping calls may share a number, never a file.
    by_call.emplace(std::stoi(name.substr(std::string("cmdline.").size())), std::move(argv));
  }
  std::vector<std::vector<std::string>> lines;
  for (auto& call : by_call) lines.push_back(std::move(call.second));
  return lines;
}

std::vector<std::string> KubectlSpy::environments() const {
  std::vector<std::string> environments;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("environ.", 0) != 0) continue;
    std::string text = dir_.read(name);
    std::replace(text.begin(), text.end(), '\0', '\n');
    environments.push_back(std::move(text));
  }
  return environments;
}

void KubectlSpy::reset() const {
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    const std::string name = entry.path().filename().string();
    if (name == "count" || name == "caller" || name.rfind("cmdline.", 0) == 0 ||
        name.rfind("environ.", 0) == 0) {
      std::filesystem::remove(entry.path());
    }
  }
}

}  // namespace cxtm::testing
