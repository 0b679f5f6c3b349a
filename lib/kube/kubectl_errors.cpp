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
};

// First match wins; "Error from server (Reason)" carries the API server's StatusReason.
constexpr std::array<Cause, 17> kCauses = {{
    {"(NotFound)", ExitCode::not_found},
    {"(Forbidden)", ExitCode::forbidden},
    {"(Unauthorized)", ExitCode::forbidden},
    {"You must be logged in to the server", ExitCode::forbidden},
    {"(Conflict)", ExitCode::conflict},
    {"(AlreadyExists)", ExitCode::conflict},
    {"the object has been modified", ExitCode::conflict},
    {"(Timeout)", ExitCode::timeout},
    {"(ServerTimeout)", ExitCode::timeout},
    {"context deadline exceeded", ExitCode::timeout},
    {"Client.Timeout exceeded", ExitCode::timeout},
    {"Error from server", ExitCode::api_error},
    {"was refused", ExitCode::kubectl},
    {"Unable to connect to the server", ExitCode::kubectl},
    {"no such host", ExitCode::kubectl},
    {"couldn't get current server API group list", ExitCode::kubectl},
    {"the server has asked for the client to provide credentials", ExitCode::forbidden},
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

Error kubectl_failure(std::string_view action, const ProcessResult& result) {
  if (result.timed_out) {
    return Error(ExitCode::timeout,
                 fmt::format("kubectl {}: no answer before the timeout", action));
  }
  ExitCode code = ExitCode::kubectl;
  for (const Cause& cause : kCauses) {
    if (result.err.find(cause.marker) != std::string::npos) {
      code = cause.code;
      break;
    }
  }
  std::string detail = first_line(result.err);
  if (detail.empty()) detail = fmt::format("kubectl exited with code {}", result.exit_code);
  return Error(code, redact(fmt::format("kubectl {}: {}", action, detail)));
}

}  // namespace cxtm::kube
