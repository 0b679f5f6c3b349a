#include "rollout/pod_diagnosis.h"

#include <fmt/core.h>

#include <array>

namespace cxtm::rollout {
namespace {

// Waiting reasons that time will not fix: fail at once instead of at the timeout.
constexpr std::array<std::string_view, 5> kDefiniteReasons = {
    "CreateContainerConfigError", "InvalidImageName", "ErrImageNeverPull", "CreateContainerError",
    "RunContainerError"};

// A crash loop this many restarts deep is not a slow start.
constexpr int kDefiniteCrashRestarts = 3;

bool is_definite(std::string_view reason, int restarts) {
  for (std::string_view definite : kDefiniteReasons) {
    if (reason == definite) return true;
  }
  return reason == "CrashLoopBackOff" && restarts >= kDefiniteCrashRestarts;
}

// The problem of one container status, if it has one.
std::optional<PodProblem> container_problem(const Json& status, bool init) {
  const int restarts = integer_member<int>(status, "restartCount");
  const Json& state = member(status, "state");
  const Json& last = member_at(status, {"lastState", "terminated"});
  PodProblem problem{
      .container = string_member(status, "name"), .init_container = init, .restarts = restarts};
  if (const Json& code = member(last, "exitCode"); code.is_number_integer()) {
    problem.exit_code = code.get<int>();
  }
  if (const Json& waiting = member(state, "waiting"); !waiting.empty()) {
    problem.reason = string_member(waiting, "reason");
    if (problem.reason.empty() || problem.reason == "ContainerCreating" ||
        problem.reason == "PodInitializing") {
      return std::nullopt;  // still starting
    }
    problem.detail = string_member(last, "message");
    if (problem.detail.empty()) problem.detail = string_member(waiting, "message");
  } else if (const Json& terminated = member(state, "terminated"); !terminated.empty()) {
    const int exit_code = integer_member<int>(terminated, "exitCode");
    if (init && exit_code == 0) return std::nullopt;  // an init container that finished
    problem.reason = string_member(terminated, "reason").empty()
                         ? "Terminated"
                         : string_member(terminated, "reason");
    problem.detail = string_member(terminated, "message");
    problem.exit_code = exit_code;
  } else {
    return std::nullopt;
  }
  problem.definite = is_definite(problem.reason, restarts);
  return problem;
}

}  // namespace

std::string PodProblem::summary() const {
  std::string line = node.empty() ? pod : fmt::format("{} ({})", pod, node);
  if (!container.empty()) {
    line += fmt::format(" {}container {}", init_container ? "init " : "", container);
  }
  line += ": " + reason;
  if (restarts > 0) line += fmt::format(", {} restart{}", restarts, restarts == 1 ? "" : "s");
  if (exit_code) line += fmt::format(", last exit code {}", *exit_code);
  if (!detail.empty()) {
    std::string one_line = detail;
    for (char& c : one_line) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    line += ": " + one_line;
  }
  return line;
}

bool pod_ready(const Json& pod) {
  const Json& conditions = member_at(pod, {"status", "conditions"});
  if (!conditions.is_array()) return false;
  for (const Json& condition : conditions) {
    if (string_member(condition, "type") == "Ready")
      return string_member(condition, "status") == "True";
  }
  return false;
}

std::optional<PodProblem> diagnose_pod(const Json& pod) {
  if (pod_ready(pod)) return std::nullopt;
  const Json& status = member(pod, "status");
  const std::string name = string_member(member(pod, "metadata"), "name");
  const std::string node = string_member(member(pod, "spec"), "nodeName");
  const auto with_pod = [&](PodProblem problem) {
    problem.pod = name;
    problem.node = node;
    return problem;
  };
  // Init containers run first: the first failing one is the cause.
  if (const Json& inits = member(status, "initContainerStatuses"); inits.is_array()) {
    for (const Json& init : inits) {
      if (auto problem = container_problem(init, true)) return with_pod(*problem);
    }
  }
  if (const Json& containers = member(status, "containerStatuses"); containers.is_array()) {
    for (const Json& container : containers) {
      if (auto problem = container_problem(container, false)) return with_pod(*problem);
    }
  }
  if (const Json& conditions = member(status, "conditions"); conditions.is_array()) {
    for (const Json& condition : conditions) {
      if (string_member(condition, "type") == "PodScheduled" &&
          string_member(condition, "status") == "False") {
        return with_pod(PodProblem{.reason = string_member(condition, "reason").empty()
                                                 ? "Pending"
                                                 : string_member(condition, "reason"),
                                   .detail = string_member(condition, "message")});
      }
    }
  }
  if (string_member(status, "phase") == "Failed") {
    return with_pod(PodProblem{.reason = string_member(status, "reason").empty()
                                             ? "Failed"
                                             : string_member(status, "reason"),
                               .detail = string_member(status, "message"),
                               .definite = true});
  }
  return std::nullopt;
}

}  // namespace cxtm::rollout
