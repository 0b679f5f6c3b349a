#include "kube/process.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>

#include "core/error.h"

extern char** environ;

// Written by hand: Debian ships no process library (reproc, Boost.Process would be the choice).
namespace cxtm::kube {
namespace {

class Pipe {
 public:
  Pipe() {
    if (::pipe2(fds_.data(), O_CLOEXEC) != 0) {
      throw Error(ExitCode::kubectl, fmt::format("cannot create a pipe: {}", std::strerror(errno)));
    }
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  int read_end() const { return fds_[0]; }
  int write_end() const { return fds_[1]; }
  void close_read() { close_fd(fds_[0]); }
  void close_write() { close_fd(fds_[1]); }

 private:
  static void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  std::array<int, 2> fds_{-1, -1};
};

// The environment for the child: ours, with the overrides replacing same-named entries.
std::vector<std::string> child_environment(const std::map<std::string, std::string>& overrides) {
  std::vector<std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const auto name = text.substr(0, text.find('='));
    if (!overrides.contains(std::string(name))) env.emplace_back(text);
  }
  for (const auto& [name, value] : overrides) env.push_back(name + "=" + value);
  return env;
}

std::vector<char*> as_c_strings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (auto& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

void ignore_sigpipe_once() {
  static std::once_flag once;
  // A child that exits before reading its stdin must not kill us with SIGPIPE.
  std::call_once(once, [] { ::signal(SIGPIPE, SIG_IGN); });
}

// Asks the child to stop, then insists: kubectl cleans up on SIGTERM, a hung one gets SIGKILL.
void stop_child(pid_t pid) {
  ::kill(pid, SIGTERM);
  for (int i = 0; i < 20; ++i) {
    siginfo_t info{};
    // WNOWAIT: look without reaping, the caller's waitpid collects the status.
    if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid) {
      return;
    }
    ::usleep(10 * 1000);
  }
  ::kill(pid, SIGKILL);
}

}  // namespace

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

ProcessResult run_process(const ProcessRequest& request) {
  if (request.argv.empty()) throw Error(ExitCode::usage, "run_process: empty argument vector");
  ignore_sigpipe_once();

  Pipe in, out, err;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read_end(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out.write_end(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.write_end(), STDERR_FILENO);

  std::vector<std::string> argv_storage = request.argv;
  std::vector<std::string> env_storage = child_environment(request.env_overrides);
  auto argv = as_c_strings(argv_storage);
  auto envp = as_c_strings(env_storage);

  pid_t pid = -1;
  const int spawn_error =
      ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) {
    throw Error(ExitCode::kubectl,
                fmt::format("cannot run {}: {}", request.argv[0], std::strerror(spawn_error)));
  }
  in.close_read();
  out.close_write();
  err.close_write();

  ProcessResult result;
  size_t written = 0;
  if (request.stdin_data.empty()) in.close_write();
  const auto deadline = request.timeout ? std::chrono::steady_clock::now() + *request.timeout
                                        : std::chrono::steady_clock::time_point::max();
  // One pass per poll: read what the child wrote, feed it stdin while it takes it.
  struct Stream {
    Pipe& pipe;
    std::string& into;
    const std::function<void(std::string_view)>& on_read;
    bool open = true;
  };
  std::array<Stream, 2> streams{
      {{out, result.out, request.on_stdout}, {err, result.err, request.on_stderr}}};
  std::array<char, 65536> buffer;
  while (streams[0].open || streams[1].open) {
    std::vector<pollfd> fds;
    for (const Stream& stream : streams) {
      fds.push_back({stream.open ? stream.pipe.read_end() : -1, POLLIN, 0});
    }
    fds.push_back({in.write_end(), POLLOUT, 0});  // -1 once stdin is closed: poll skips it
    int wait_ms = -1;
    if (request.timeout) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      wait_ms = static_cast<int>(std::max<long long>(0, left.count()));
    }
    const int ready = ::poll(fds.data(), fds.size(), wait_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) {
      result.timed_out = true;
      stop_child(pid);
      break;
    }
    for (size_t i = 0; i < streams.size(); ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::read(fds[i].fd, buffer.data(), buffer.size());
      if (n > 0) {
        streams[i].into.append(buffer.data(), static_cast<size_t>(n));
        if (streams[i].on_read) {
          streams[i].on_read(std::string_view(buffer.data(), static_cast<size_t>(n)));
        }
      } else if (n == 0 || errno != EINTR) {
        streams[i].open = false;
      }
    }
    if (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) {
      const ssize_t n = ::write(in.write_end(), request.stdin_data.data() + written,
                                request.stdin_data.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      const bool child_stopped_reading = n < 0 && errno != EINTR && errno != EAGAIN;
      if (child_stopped_reading || written >= request.stdin_data.size()) in.close_write();
    }
  }
  in.close_write();
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = exit_code_of(status);
  return result;
}

}  // namespace cxtm::kube
