#include "kube/kubectl_errors.h"

#include <fmt/core.h>

#include <array>
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

// The first non-empty line, without kubectl's "error: " prefix.
std::string first_line(std::string_view text) {
  while (!text.empty() && (text.front() == '\n' || text.front() == ' ')) text.remove_prefix(1);
  std::string line(text.substr(0, text.find('\n')));
  if (line.starts_with("error: ")) line.erase(0, 7);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
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
