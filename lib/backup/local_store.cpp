#include "backup/local_store.h"

#include <fmt/core.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/atomic_file.h"
#include "core/error.h"

namespace cxtm::backup {
namespace {

// Names become path components: refuse anything that could leave the directory.
void check_component(const std::string& part) {
  if (part.empty() || part.front() == '.' || part.find('/') != std::string::npos ||
      part.find('\0') != std::string::npos) {
    throw Error(ExitCode::usage, fmt::format("'{}' cannot name a backup directory", part));
  }
}

// mkdir -p with mode 0700 for every directory it creates.
void make_private_directories(const std::filesystem::path& path) {
  std::filesystem::path current;
  for (const auto& part : path) {
    current /= part;
    if (::mkdir(current.c_str(), 0700) != 0 && errno != EEXIST) {
      throw Error(ExitCode::failed, fmt::format("{}: cannot create the directory: {}",
                                                current.string(), std::strerror(errno)));
    }
  }
}

// $HOME when it is an absolute path, else the user's home from the password database: an unset
// HOME must not put backups under "/", an empty one under the current directory.
std::filesystem::path home_directory() {
  if (const char* home = std::getenv("HOME"); home != nullptr && home[0] == '/') return home;
  if (const passwd* entry = ::getpwuid(::geteuid());
      entry != nullptr && entry->pw_dir != nullptr && entry->pw_dir[0] == '/') {
    return entry->pw_dir;
  }
  throw Error(ExitCode::usage,
              "state_dir: '~/' needs a home directory, and neither $HOME nor the password "
              "database gives an absolute one; set state_dir to an absolute path");
}

// Why a file or directory with this status cannot be trusted to hold what only the user may
// change: a symlink (lstat), another user's, or writable by group or others; "" when it can.
std::string why_not_private(const struct stat& info) {
  if (S_ISLNK(info.st_mode)) return "it is a symlink";
  if (info.st_uid != ::geteuid()) {
    return fmt::format("it belongs to uid {}, not to you (uid {})", info.st_uid, ::geteuid());
  }
  if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return fmt::format("others may write it (mode {:04o})", info.st_mode & 07777);
  }
  return "";
}

// Each existing directory from the state directory down to dir must be a real directory (not a
// symlink someone could point elsewhere), the user's own, that no one else may write.
void require_private_directories(const std::filesystem::path& state_dir,
                                 const std::filesystem::path& dir) {
  // Whether path exists (a missing one is made 0700 later, and so is everything below it).
  const auto check = [](const std::filesystem::path& path) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) return false;
    std::string why = why_not_private(info);
    if (why.empty() && !S_ISDIR(info.st_mode)) why = "it is not a directory";
    if (!why.empty()) {
      throw Error(ExitCode::usage, fmt::format("{}: not used for backups: {}", path.string(), why));
    }
    return true;
  };
  std::filesystem::path current = state_dir;
  if (!check(current)) return;
  for (const auto& part : dir.lexically_relative(state_dir)) {
    if (part == ".") continue;
    current /= part;
    if (!check(current)) return;
  }
}

// A local copy is trusted over the cluster's because only its owner can write it: one that
// another user owns, or that others may write, is refused as damaged.
void require_private(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return;  // gone meanwhile: read_file says so
  if (const std::string why = why_not_private(info); !why.empty()) {
    throw Error(ExitCode::failed, fmt::format("{}: not a usable backup: {}", path.string(), why));
  }
}

}  // namespace

std::filesystem::path LocalBackupStore::root_for(const std::string& state_dir,
                                                 const std::string& cluster) {
  std::filesystem::path base = state_dir;
  if (state_dir.starts_with("~/")) base = home_directory() / state_dir.substr(2);
  return base / "backups" / cluster;
}

std::filesystem::path LocalBackupStore::directory(const std::string& namespace_,
                                                  const std::string& deployment) const {
  check_component(namespace_);
  check_component(deployment);
  return root_ / namespace_ / deployment;
}

std::optional<StoredBackup> LocalBackupStore::original(const std::string& namespace_,
                                                       const std::string& deployment) {
  const auto dir = directory(namespace_, deployment);
  require_private_directories(owned_from_, dir);
  remove_dead_temporaries(dir);
  const auto path = dir / kOriginalName;
  if (!std::filesystem::exists(path)) return std::nullopt;
  require_private(path);
  return StoredBackup{parse_backup(read_file(path), path.string()), path.string()};
}

std::string LocalBackupStore::save(const WorkloadBackup& backup) {
  const auto dir = directory(backup.namespace_, backup.deployment);
  require_private_directories(owned_from_, dir);
  make_private_directories(dir);
  remove_dead_temporaries(dir);
  const auto path = dir / stored_name(backup);
  write_file_atomic(path, backup.to_json().dump(2) + "\n", FileMode::private_);
  return path.string();
}

std::vector<StoredBackup> LocalBackupStore::list(const std::string& namespace_,
                                                 const std::vector<std::string>& deployments) {
  std::vector<StoredBackup> result;
  for (const std::string& deployment : deployments) {
    const auto dir = root_ / namespace_ / deployment;
    std::error_code error;
    if (!std::filesystem::is_directory(dir, error)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
      try {
        result.push_back(
            {parse_backup(read_file(entry.path()), entry.path().string()), entry.path().string()});
      } catch (const Error&) {
        // A damaged file is reported when it is used; a listing shows what can be used.
      }
    }
  }
  std::sort(result.begin(), result.end(),
            [](const StoredBackup& a, const StoredBackup& b) { return a.location < b.location; });
  return result;
}

}  // namespace cxtm::backup
