#include "kube/kubectl_errors.h"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <regex>
#include <string>

#include "core/redact.h"

namespace cxtm::kube {
namespace {

struct Cause {
  std::string_view marker;  // text kubectl prints for it
  ExitCode code;
  FailureKind kind;
};

// First match wins; "Error from server (Reason)" carries the API server's StatusReason. A 5xx,
// a timeout or a lost connection leaves a write's outcome unknown; a refused connection and 429
// (priority and fairness turn requests away before doing them) are worth another try.
constexpr std::array<Cause, 25> kCauses = {{
    {"(NotFound)", ExitCode::not_found, FailureKind::refused},
    {"(Forbidden)", ExitCode::forbidden, FailureKind::refused},
    {"(Unauthorized)", ExitCode::forbidden, FailureKind::refused},
    {"You must be logged in to the server", ExitCode::forbidden, FailureKind::refused},
    {"(Conflict)", ExitCode::conflict, FailureKind::refused},
    {"(AlreadyExists)", ExitCode::conflict, FailureKind::refused},
    {"the object has been modified", ExitCode::conflict, FailureKind::refused},
    {"(TooManyRequests)", ExitCode::api_error, FailureKind::transient},
    {"(Timeout)", ExitCode::timeout, FailureKind::unknown},
    {"(ServerTimeout)", ExitCode::timeout, FailureKind::unknown},
    {"context deadline exceeded", ExitCode::timeout, FailureKind::unknown},
    {"Client.Timeout exceeded", ExitCode::timeout, FailureKind::unknown},
    {"(InternalError)", ExitCode::api_error, FailureKind::unknown},
    {"(ServiceUnavailable)", ExitCode::api_error, FailureKind::unknown},
    {"(InternalServerError)", ExitCode::api_error, FailureKind::unknown},
    {"an error on the server", ExitCode::api_error, FailureKind::unknown},
    {"Error from server", ExitCode::api_error, FailureKind::refused},
    {"was refused", ExitCode::kubectl, FailureKind::transient},
    {"unexpected EOF", ExitCode::kubectl, FailureKind::unknown},
    {"connection reset by peer", ExitCode::kubectl, FailureKind::unknown},
    {"broken pipe", ExitCode::kubectl, FailureKind::unknown},
    {"Unable to connect to the server", ExitCode::kubectl, FailureKind::transient},
    {"no such host", ExitCode::kubectl, FailureKind::refused},
    {"couldn't get current server API group list", ExitCode::kubectl, FailureKind::transient},
    {"the server has asked for the client to provide credentials", ExitCode::forbidden,
     FailureKind::refused},
}};

// "E1125 10:25:20.365093    8740 memcache.go:265] ...": client-go's log of a failed attempt,
// which kubectl prints before its own verdict ("The connection to the server ... was refused").
bool is_klog_line(std::string_view line) {
  static const std::regex klog(R"([IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+ +\d+ [^ ]+\] .*)");
  return std::regex_match(line.begin(), line.end(), klog);
}

// The first non-empty line that is not a client-go log line (the first line when all are),
// without kubectl's "error: " prefix.
std::string first_line(std::string_view text) {
  std::string chosen;
  for (size_t at = 0; at < text.size();) {
    const size_t end = std::min(text.find('\n', at), text.size());
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    while (!line.empty() && (line.front() == ' ' || line.front() == '\r')) line.remove_prefix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
    if (line.empty()) continue;
    if (chosen.empty()) chosen = line;
    if (!is_klog_line(line)) {
      chosen = line;
      break;
    }
  }
  if (chosen.starts_with("error: ")) chosen.erase(0, 7);
  return chosen;
}

}  // namespace

bool is_not_found(const ProcessResult& result) {
  return result.err.find("(NotFound)") != std::string::npos;
}

KubeError kubectl_failure(std::string_view action, const ProcessResult& result) {
  if (result.timed_out) {
    return KubeError(ExitCode::timeout,
                     fmt::format("kubectl {}: no answer before the timeout", action),
                     FailureKind::unknown);
  }
  ExitCode code = ExitCode::kubectl;
  FailureKind kind = FailureKind::refused;
  for (const Cause& cause : kCauses) {
    if (result.err.find(cause.marker) != std::string::npos) {
      code = cause.code;
      kind = cause.kind;
      break;
    }
  }
  std::string detail = first_line(result.err);
  if (detail.empty()) detail = fmt::format("kubectl exited with code {}", result.exit_code);
  return KubeError(code, redact(fmt::format("kubectl {}: {}", action, detail)), kind);
}

}  // namespace cxtm::kube
