#include "kube/child_process.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <future>

#include "core/error.h"
#include "kube/process.h"

namespace cxtm::kube {
namespace {

constexpr size_t kKeptOutput = 64 * 1024;

void append_bounded(std::string& into, const char* data, size_t size) {
  into.append(data, size);
  if (into.size() > kKeptOutput) into.erase(0, into.size() - kKeptOutput);
}

}  // namespace

ChildProcess::ChildProcess(std::vector<std::string> argv, OutputSink on_out)
    : argv_(std::move(argv)), on_out_(std::move(on_out)) {
  if (argv_.empty()) throw Error(ExitCode::usage, "ChildProcess: empty argument vector");
  std::array<int, 2> out{-1, -1};
  std::array<int, 2> err{-1, -1};
  if (::pipe2(out.data(), O_CLOEXEC) != 0 || ::pipe2(err.data(), O_CLOEXEC) != 0) {
    for (int fd : {out[0], out[1], err[0], err[1]}) {
      if (fd >= 0) ::close(fd);
    }
    throw Error(ExitCode::kubectl, fmt::format("cannot create a pipe: {}", std::strerror(errno)));
  }
  // The reader thread starts the child and lives as long as its output: the child is told to
  // end (SIGTERM) when that thread does, and so when the tool dies, even by SIGKILL. A `kubectl
  // proxy` would otherwise outlive a killed tool for good.
  std::promise<int> started;  // 0, or the errno of a child that could not be made
  auto spawned = started.get_future();
  reader_ = std::thread([this, out, err, &started] {
    started.set_value(spawn(out[1], err[1]));
    ::close(out[1]);
    ::close(err[1]);
    read_output(out[0], err[0]);
  });
  const int spawn_error = spawned.get();
  if (spawn_error != 0) {
    reader_.join();
    throw Error(ExitCode::kubectl,
                fmt::format("cannot run {}: {}", argv_[0], std::strerror(spawn_error)));
  }
}

int ChildProcess::spawn(int out_fd, int err_fd) {
  std::vector<char*> pointers;
  for (auto& argument : argv_) pointers.push_back(argument.data());
  pointers.push_back(nullptr);
  // The exec's failure comes back on a pipe that the exec closes when it succeeds.
  std::array<int, 2> exec_failure{-1, -1};
  if (::pipe2(exec_failure.data(), O_CLOEXEC) != 0) return errno;
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // The child: async-signal-safe calls only, up to the exec. A process group of its own, so
    // stop() ends it and whatever it started (a wrapper script's kubectl).
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);  // the tool died before the line above
    ::setpgid(0, 0);
    const int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0 && ::dup2(null, STDIN_FILENO) >= 0 && ::dup2(out_fd, STDOUT_FILENO) >= 0 &&
        ::dup2(err_fd, STDERR_FILENO) >= 0) {
      ::execvp(pointers[0], pointers.data());
    }
    const int why = errno;
    (void)!::write(exec_failure[1], &why, sizeof why);
    ::_exit(127);
  }
  const int fork_error = pid < 0 ? errno : 0;
  ::close(exec_failure[1]);
  int why = fork_error;
  if (pid > 0) {
    ssize_t n = 0;
    do {
      n = ::read(exec_failure[0], &why, sizeof why);
    } while (n < 0 && errno == EINTR);
    if (n != static_cast<ssize_t>(sizeof why)) {
      why = 0;  // closed by a successful exec
    } else {
      ::waitpid(pid, nullptr, 0);
    }
  }
  ::close(exec_failure[0]);
  if (why == 0) pid_ = pid;
  return why;
}

ChildProcess::~ChildProcess() {
  stop();
}

void ChildProcess::read_output(int out_fd, int err_fd) {
  std::array<pollfd, 2> fds{{{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}}};
  std::array<char, 8192> buffer;
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::read(fds[i].fd, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;  // poll skips negative descriptors
        continue;
      }
      if (i == 0 && on_out_) on_out_(std::string_view(buffer.data(), static_cast<size_t>(n)));
      std::lock_guard lock(mutex_);
      append_bounded(i == 0 ? out_ : err_, buffer.data(), static_cast<size_t>(n));
      changed_.notify_all();
    }
  }
  for (const pollfd& fd : fds) {
    if (fd.fd >= 0) ::close(fd.fd);
  }
  std::lock_guard lock(mutex_);
  streams_closed_ = true;
  changed_.notify_all();
}

bool ChildProcess::wait_for_output(const std::function<bool(std::string_view out)>& ready,
                                   Duration timeout) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return ready(out_) || streams_closed_; });
  return ready(out_);
}

bool ChildProcess::stopped_writing() const {
  std::lock_guard lock(mutex_);
  return streams_closed_;
}

std::string ChildProcess::out() const {
  std::lock_guard lock(mutex_);
  return out_;
}

std::string ChildProcess::err() const {
  std::lock_guard lock(mutex_);
  return err_;
}

namespace {

// Whether the child has ended, without reaping it: while it is a zombie its id (and its
// group's) cannot be reused, so signalling the group stays safe.
bool has_ended(pid_t pid) {
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0 ||
         info.si_pid != 0;
}

}  // namespace

int ChildProcess::stop() {
  if (reaped_) return exit_code_;
  if (!has_ended(pid_)) {
    ::kill(-pid_, SIGTERM);
    // kubectl ends at once on SIGTERM; a stuck child gets SIGKILL after a second.
    for (int i = 0; i < 100 && !has_ended(pid_); ++i) ::usleep(10 * 1000);
  }
  // The group goes too, before the child is reaped: what it started (a wrapper script's
  // kubectl) would otherwise hold the pipes open and outlive the tool.
  ::kill(-pid_, SIGKILL);
  int status = 0;
  pid_t done = 0;
  while ((done = ::waitpid(pid_, &status, 0)) < 0 && errno == EINTR) {
  }
  exit_code_ = done == pid_ ? exit_code_of(status) : -1;
  reaped_ = true;
  if (reader_.joinable()) reader_.join();
  return exit_code_;
}

}  // namespace cxtm::kube
