#pragma once
// A kubectl for cxtm-o11y to run (its --kubectl flag) that records each call's command line as
// the kernel saw it (/proc/<pid>/cmdline of the spawned process), runs the real kubectl, and can
// SIGKILL cxtm-o11y right after the N-th call returns: the crash points of the recovery tests.

#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace cxtm::testing {

class KubectlSpy {
 public:
  // real_kubectl: the program it runs ($CXTM_TEST_KUBECTL or "kubectl" by default).
  explicit KubectlSpy(const std::string& real_kubectl);

  // The spy's path, for --kubectl.
  std::string path() const;
  // From now on, cxtm-o11y is killed with SIGKILL right after its call number `call` (1-based)
  // has finished at the server and before cxtm-o11y sees the result; 0 turns it off.
  void kill_caller_after(int call) const;
  // How many calls were made so far.
  int calls() const;
  // The command line of every call so far (argv[0] is the shell running the spy).
  std::vector<std::vector<std::string>> command_lines() const;
  // Forgets the calls made so far (the count starts again at 0).
  void reset() const;

 private:
  TempDir dir_;
};

}  // namespace cxtm::testing
