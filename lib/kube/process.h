#pragma once
// Runs a program with an argument vector (never through a shell), feeding stdin and capturing
// stdout and stderr. Secrets travel on stdin or in the environment, never in argv.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/duration.h"

namespace cxtm::kube {

struct ProcessRequest {
  std::vector<std::string> argv;    // argv[0] is looked up on PATH unless it has a '/'
  std::string stdin_data;           // written to the child's stdin, then closed
  std::optional<Duration> timeout;  // killed (SIGTERM, then SIGKILL) past this
  std::map<std::string, std::string> env_overrides;  // added to (or replacing in) the environment
  // Called with each piece of stdout or stderr as it arrives (besides capturing it), on the
  // calling thread.
  std::function<void(std::string_view)> on_stdout;
  std::function<void(std::string_view)> on_stderr;
};

struct ProcessResult {
  int exit_code = -1;      // the child's exit status; 128+N when killed by signal N
  std::string out;         // everything the child wrote to stdout
  std::string err;         // everything the child wrote to stderr
  bool timed_out = false;  // true when the timeout killed it
};

// Runs the request to completion. Throws Error(ExitCode::kubectl) when argv[0] cannot be
// executed (not found, not executable), naming it.
ProcessResult run_process(const ProcessRequest& request);

// A waitpid status as a shell reports it: the exit code, or 128 + the signal; -1 otherwise.
int exit_code_of(int status);

}  // namespace cxtm::kube
