#pragma once
// A program that keeps running while the tool talks to it (`kubectl proxy`): started with an
// argument vector (never a shell), stdin from /dev/null, stdout and stderr drained by a reader
// thread so the child never blocks on a full pipe, and stopped (SIGTERM, then SIGKILL) and
// reaped when the object goes. run_process (process.h) is the sibling for programs that finish.

#include <sys/types.h>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/duration.h"

namespace cxtm::kube {

class ChildProcess {
 public:
  // What the child writes to stdout, as it comes (from the reader thread).
  using OutputSink = std::function<void(std::string_view chunk)>;

  // Starts argv (argv[0] looked up on PATH unless it has a '/'). Throws Error(ExitCode::kubectl)
  // naming argv[0] when it cannot be executed. on_out, when set, sees stdout as it comes (a
  // stream of watch events) besides out().
  explicit ChildProcess(std::vector<std::string> argv, OutputSink on_out = {});
  // stop().
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Waits until ready(stdout so far) is true, both output streams have closed (the child is
  // ending), or timeout. Returns whether ready held.
  bool wait_for_output(const std::function<bool(std::string_view out)>& ready, Duration timeout);

  // True once both output streams have closed: the child has ended (or closed them).
  bool stopped_writing() const;
  // What the child wrote so far (the last 64 KiB of each stream).
  std::string out() const;
  std::string err() const;

  // Stops the child if it still runs and reaps it; idempotent. Returns its exit code (128+N
  // when a signal N ended it).
  int stop();

 private:
  // Forks and execs argv_ with stdout and stderr on the pipes' write ends (from the reader
  // thread); returns 0, or the errno of a fork that failed.
  int spawn(int out_fd, int err_fd);
  void read_output(int out_fd, int err_fd);

  std::vector<std::string> argv_;
  OutputSink on_out_;
  pid_t pid_ = -1;
  int exit_code_ = -1;
  bool reaped_ = false;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string out_;
  std::string err_;
  bool streams_closed_ = false;
  std::thread reader_;
};

}  // namespace cxtm::kube
