#include "core/atomic_file.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "core/error.h"

namespace cxtm {
namespace {

[[noreturn]] void fail(const std::filesystem::path& path, std::string_view what) {
  throw Error(ExitCode::failed,
              fmt::format("{}: cannot {}: {}", path.string(), what, std::strerror(errno)));
}

}  // namespace

void write_file_atomic(const std::filesystem::path& path, std::string_view text, FileMode mode) {
  // The writer's pid in the name: a run killed mid-write leaves a file the next one can tell
  // from a live writer's (remove_dead_temporaries).
  std::string temp = fmt::format("{}{}{}-XXXXXX", path.string(), kTemporaryMarker, ::getpid());
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) fail(path, "create a temporary file beside it");
  const auto give_up = [&](std::string_view what) {
    const int saved = errno;
    ::close(fd);
    ::unlink(temp.c_str());
    errno = saved;
    fail(path, what);
  };
  if (::fchmod(fd, static_cast<mode_t>(mode)) != 0) give_up("set its mode");
  for (size_t written = 0; written < text.size();) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) give_up("write");
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) give_up("sync");
  if (::close(fd) != 0) {
    ::unlink(temp.c_str());
    fail(path, "close");
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(temp.c_str());
    errno = saved;
    fail(path, "rename into place");
  }
  // The rename itself is durable only once the directory is synced (a crash right after could
  // otherwise leave neither the old file nor the new one).
  const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) fail(dir, "open the directory to sync it");
  const bool synced = ::fsync(dir_fd) == 0;
  ::close(dir_fd);
  if (!synced) fail(dir, "sync the directory");
}

void remove_dead_temporaries(const std::filesystem::path& dir) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    const std::string name = entry.path().filename().string();
    const auto marker = name.find(kTemporaryMarker);
    if (marker == std::string::npos) continue;
    const std::string rest = name.substr(marker + kTemporaryMarker.size());
    const auto dash = rest.find('-');
    if (dash == std::string::npos || dash == 0) continue;
    pid_t pid = 0;
    try {
      pid = static_cast<pid_t>(std::stol(rest.substr(0, dash)));
    } catch (const std::exception&) {
      continue;
    }
    // Gone (ESRCH): nobody will rename it. Alive, or not ours to signal: left alone.
    if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) {
      std::filesystem::remove(entry.path(), error);
    }
  }
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ExitCode::usage, fmt::format("{}: cannot read the file", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace cxtm
