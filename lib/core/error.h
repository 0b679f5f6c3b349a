#pragma once
// The one exception type that aborts a command, and the exit codes it maps to (README "Exit
// codes").

#include <stdexcept>
#include <string>

namespace cxtm {

// Process exit codes. Values are part of the CLI contract: never renumber.
enum class ExitCode : int {
  ok = 0,
  failed = 1,         // a check, lint or rollout failed; the command itself ran
  usage = 2,          // bad flags, bad config file, unknown service
  kubectl = 3,        // kubectl missing, not runnable, or the cluster unreachable
  not_found = 4,      // a Deployment or object the command needs does not exist
  forbidden = 5,      // RBAC denied (403) or credentials rejected (401)
  conflict = 6,       // resourceVersion conflict or object changed by someone else
  timeout = 7,        // a wait or a request ran past its deadline
  api_error = 8,      // any other API server error (5xx, invalid object, ...)
  interrupted = 130,  // SIGINT/SIGTERM
};

// Aborts the current command. what() is one line naming the file, field or service and the cause.
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

}  // namespace cxtm
