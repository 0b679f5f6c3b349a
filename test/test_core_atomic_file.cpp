#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "core/atomic_file.h"
#include "support/temp_dir.h"

namespace test_core_atomic_file {

namespace {

// The pid of a process that has exited and been reaped: nobody's.
pid_t dead_pid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

}  // namespace

TEST_SUITE("core/atomic_file") {
  TEST_CASE("a write leaves the file whole and no temporary beside it") {
    cxtm::testing::TempDir dir;
    const auto path = dir.path() / "original.json";
    cxtm::write_file_atomic(path, "{}\n", cxtm::FileMode::private_);
    CHECK(cxtm::read_file(path) == "{}\n");
    int entries = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) {
      ++entries;
    }
    CHECK(entries == 1);
  }

  TEST_CASE("a temporary of a writer that was killed goes, a live writer's stays") {
    cxtm::testing::TempDir dir;
    const std::string dead = "original.json.tmp-" + std::to_string(dead_pid()) + "-Ab3xYz";
    const std::string live = "original.json.tmp-" + std::to_string(::getpid()) + "-Qw8rTy";
    dir.write(dead, "{\"half");
    dir.write(live, "{\"half");
    dir.write("original.json", "{}\n");
    cxtm::remove_dead_temporaries(dir.path());
    CHECK_FALSE(std::filesystem::exists(dir.path() / dead));
    CHECK(std::filesystem::exists(dir.path() / live));
    CHECK(std::filesystem::exists(dir.path() / "original.json"));
    cxtm::remove_dead_temporaries(dir.path() / "missing");  // no directory: nothing to do
  }
}

}  // namespace test_core_atomic_file
