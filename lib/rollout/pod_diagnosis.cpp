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

const Json& field(const Json& object, std::string_view key) {
  static const Json empty = Json::object();
  if (!object.is_object()) return empty;
  const auto found = object.find(key);
  return found == object.end() ? empty : *found;
}

std::string text(const Json& object, std::string_view key) {
  const Json& value = field(object, key);
  return value.is_string() ? value.get<std::string>() : "";
}

// The problem of one container status, if it has one.
std::optional<PodProblem> container_problem(const Json& status, bool init) {
  const int restarts =
      field(status, "restartCount").is_number() ? field(status, "restartCount").get<int>() : 0;
  const Json& state = field(status, "state");
  const Json& last = field(field(status, "lastState"), "terminated");
  PodProblem problem{
      .container = text(status, "name"), .init_container = init, .restarts = restarts};
  if (field(last, "exitCode").is_number()) problem.exit_code = field(last, "exitCode").get<int>();
  if (const Json& waiting = field(state, "waiting"); !waiting.empty()) {
    problem.reason = text(waiting, "reason");
    if (problem.reason.empty() || problem.reason == "ContainerCreating" ||
        problem.reason == "PodInitializing") {
      return std::nullopt;  // still starting
    }
    problem.detail = text(last, "message");
    if (problem.detail.empty()) problem.detail = text(waiting, "message");
  } else if (const Json& terminated = field(state, "terminated"); !terminated.empty()) {
    const int exit_code =
        field(terminated, "exitCode").is_number() ? field(terminated, "exitCode").get<int>() : 0;
    if (init && exit_code == 0) return std::nullopt;  // an init container that finished
    problem.reason = text(terminated, "reason").empty() ? "Terminated" : text(terminated, "reason");
    problem.detail = text(terminated, "message");
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
  const Json& conditions = field(field(pod, "status"), "conditions");
  if (!conditions.is_array()) return false;
  for (const Json& condition : conditions) {
    if (text(condition, "type") == "Ready") return text(condition, "status") == "True";
  }
  return false;
}

std::optional<PodProblem> diagnose_pod(const Json& pod) {
  if (pod_ready(pod)) return std::nullopt;
  const Json& status = field(pod, "status");
  const std::string name = text(field(pod, "metadata"), "name");
  const std::string node = text(field(pod, "spec"), "nodeName");
  const auto with_pod = [&](PodProblem problem) {
    problem.pod = name;
    problem.node = node;
    return problem;
  };
  // Init containers run first: the first failing one is the cause.
  if (const Json& inits = field(status, "initContainerStatuses"); inits.is_array()) {
    for (const Json& init : inits) {
      if (auto problem = container_problem(init, true)) return with_pod(*problem);
    }
  }
  if (const Json& containers = field(status, "containerStatuses"); containers.is_array()) {
    for (const Json& container : containers) {
      if (auto problem = container_problem(container, false)) return with_pod(*problem);
    }
  }
  if (const Json& conditions = field(status, "conditions"); conditions.is_array()) {
    for (const Json& condition : conditions) {
      if (text(condition, "type") == "PodScheduled" && text(condition, "status") == "False") {
        return with_pod(PodProblem{
            .reason = text(condition, "reason").empty() ? "Pending" : text(condition, "reason"),
            .detail = text(condition, "message")});
      }
    }
  }
  if (text(status, "phase") == "Failed") {
    return with_pod(
        PodProblem{.reason = text(status, "reason").empty() ? "Failed" : text(status, "reason"),
                   .detail = text(status, "message"),
                   .definite = true});
  }
  return std::nullopt;
}

}  // namespace cxtm::rollout
