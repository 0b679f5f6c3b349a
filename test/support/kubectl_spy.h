#pragma once
// A kubectl for cxtm-o11y to run (its --kubectl flag) that records each call's command line and
// environment as the kernel saw them (/proc/<pid>/cmdline, environ), runs the real kubectl, and can
// SIGKILL cxtm-o11y right after the N-th call returns: the crash points of the recovery tests.
// The count is kept in a file under a lock (calls may overlap). Watches (`get --raw
// ...?watch=1`) and `kubectl proxy` (which carries the waits' lists and watches) are recorded as
// call 0, neither counted nor kill points: they end only when the tool stops them.

#include <sys/types.h>

#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace cxtm::testing {

class KubectlSpy {
 public:
  // real_kubectl: the program it runs (test_kubectl() for $CXTM_TEST_KUBECTL).
  explicit KubectlSpy(const std::string& real_kubectl);

  // The spy's path, for --kubectl.
  std::string path() const;
  // From now on, cxtm-o11y is killed with SIGKILL right after its call number `call` (1-based)
  // has finished at the server and before cxtm-o11y sees the result; 0 turns it off.
  void kill_caller_after(int call) const;
  // How many calls were made so far.
  int calls() const;
  // The pid of the process that made the latest call, the proxy included (cxtm-o11y), or 0
  // before the first.
  pid_t caller() const;
  // The command line of every call so far, in call order (argv[0] is the shell running the spy).
  std::vector<std::vector<std::string>> command_lines() const;
  // The environment of every call so far ("NAME=value" lines), as the kernel saw it
  // (/proc/<pid>/environ of the spawned process), and of cxtm-o11y at that moment (its
  // /proc/<pid>/environ: the block it was started with, as it is now; readable by root alone,
  // since the tool makes itself non-dumpable).
  std::vector<std::string> environments() const;
  // Forgets the calls made so far (the count starts again at 0).
  void reset() const;

 private:
  TempDir dir_;
};

}  // namespace cxtm::testing
