#include <doctest/doctest.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "backup/backup.h"
#include "backup/local_store.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "support/temp_dir.h"

namespace test_backup_local_store {

using cxtm::Json;
using namespace cxtm::backup;

namespace {

Json deployment(const std::string& image) {
  return Json{
      {"apiVersion", "apps/v1"},
      {"kind", "Deployment"},
      {"metadata", {{"name", "cxtm-scheduler"}, {"namespace", "default"}}},
      {"spec",
       {{"template", {{"spec", {{"containers", {{{"name", "app"}, {"image", image}}}}}}}}}}};
}

unsigned mode_of(const std::string& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 0777;
}

}  // namespace

TEST_SUITE("backup/backup") {
  TEST_CASE("a backup round-trips through its document") {
    const auto backup = make_backup("scheduler", deployment("app:1"), Role::original);
    const auto parsed = parse_backup(backup.to_json().dump(), "x");
    CHECK(parsed.object == backup.object);
    CHECK(parsed.service == "scheduler");
    CHECK(parsed.deployment == "cxtm-scheduler");
    CHECK(parsed.namespace_ == "default");
    CHECK(parsed.role == Role::original);
    CHECK(parsed.sha256.size() == 64);
  }

  TEST_CASE("a changed, truncated or foreign document is refused with the reason") {
    const std::string good =
        make_backup("scheduler", deployment("app:1"), Role::original).to_json().dump();
    Json tampered = Json::parse(good);
    tampered["object"]["spec"]["template"]["spec"]["containers"][0]["image"] = "evil:1";
    CHECK_THROWS_WITH_AS(
        parse_backup(tampered.dump(), "f.json"),
        doctest::Contains("f.json: not a usable backup: its sha256 does not match"), cxtm::Error);
    CHECK_THROWS_WITH_AS(parse_backup(good.substr(0, good.size() / 2), "f.json"),
                         doctest::Contains("it is not JSON"), cxtm::Error);
    CHECK_THROWS_WITH_AS(parse_backup(R"({"kind":"ConfigMap"})", "f.json"),
                         doctest::Contains("not a cxtm-o11y.io/v1 DeploymentBackup"), cxtm::Error);
  }
}

TEST_SUITE("backup/local_store") {
  TEST_CASE("files are private, written whole, and found again") {
    cxtm::testing::TempDir dir;
    LocalBackupStore store(dir.path() / "state" / "backups" / "c1");
    const auto backup = make_backup("scheduler", deployment("app:1"), Role::original);
    const std::string path = store.save(backup);
    CHECK(mode_of(path) == 0600);
    CHECK(mode_of((dir.path() / "state" / "backups" / "c1" / "default").string()) == 0700);
    const auto found = store.original("default", "cxtm-scheduler");
    REQUIRE(found);
    CHECK(found->backup.object == backup.object);
    CHECK_FALSE(store.original("default", "other"));
  }

  TEST_CASE("snapshots stand beside the original") {
    cxtm::testing::TempDir dir;
    LocalBackupStore store(dir.path());
    store.save(make_backup("scheduler", deployment("app:1"), Role::original));
    store.save(make_backup("scheduler", deployment("app:2"), Role::snapshot));
    const auto all = store.list("default", {"cxtm-scheduler"});
    CHECK(store.list("default", {"cxtm-other"}).empty());
    CHECK(all.size() == 2);
    CHECK(store.original("default", "cxtm-scheduler")->backup.object == deployment("app:1"));
  }

  TEST_CASE("a corrupted original is refused, not used") {
    cxtm::testing::TempDir dir;
    LocalBackupStore store(dir.path());
    const std::string path =
        store.save(make_backup("scheduler", deployment("app:1"), Role::original));
    cxtm::write_file_atomic(path, "{\"apiVersion\": \"cxtm-o11y.io/v1\", \"kind\"");
    CHECK_THROWS_AS(store.original("default", "cxtm-scheduler"), cxtm::Error);
  }

  TEST_CASE("a local original others may write, or another user owns, is refused") {
    cxtm::testing::TempDir dir;
    LocalBackupStore store(dir.path());
    const std::string path =
        store.save(make_backup("scheduler", deployment("app:1"), Role::original));
    REQUIRE(::chmod(path.c_str(), 0620) == 0);
    CHECK_THROWS_WITH_AS(store.original("default", "cxtm-scheduler"),
                         doctest::Contains("not a usable backup: others may write it (mode 0620)"),
                         cxtm::Error);
    REQUIRE(::chmod(path.c_str(), 0600) == 0);
    CHECK(store.original("default", "cxtm-scheduler"));
    if (::geteuid() == 0) {  // CI runs as root: it can hand the file to someone else
      REQUIRE(::chown(path.c_str(), 4242, 4242) == 0);
      CHECK_THROWS_WITH_AS(store.original("default", "cxtm-scheduler"),
                           doctest::Contains("it belongs to uid 4242, not to you"), cxtm::Error);
    }
  }

  TEST_CASE("a state directory that is a symlink, or that others may write, is not used") {
    cxtm::testing::TempDir dir;
    const auto backup = make_backup("scheduler", deployment("app:1"), Role::original);
    const auto real = dir.path() / "elsewhere";
    std::filesystem::create_directory(real);
    REQUIRE(::chmod(real.c_str(), 0700) == 0);
    const auto linked = dir.path() / "state";
    std::filesystem::create_directory_symlink(real, linked);
    LocalBackupStore through_link(linked / "backups" / "c1", linked);
    CHECK_THROWS_WITH_AS(through_link.save(backup), doctest::Contains("it is a symlink"),
                         cxtm::Error);
    CHECK_THROWS_AS(through_link.original("default", "cxtm-scheduler"), cxtm::Error);
    CHECK(std::filesystem::is_empty(real));

    const auto shared = dir.path() / "shared";
    std::filesystem::create_directory(shared);
    REQUIRE(::chmod(shared.c_str(), 0775) == 0);
    LocalBackupStore group_writable(shared / "backups" / "c1", shared);
    CHECK_THROWS_WITH_AS(group_writable.save(backup),
                         doctest::Contains("others may write it (mode 0775)"), cxtm::Error);
    REQUIRE(::chmod(shared.c_str(), 0700) == 0);
    CHECK_FALSE(group_writable.save(backup).empty());
  }

  TEST_CASE("~/ without a usable $HOME is the home directory from the password database") {
    const char* home = std::getenv("HOME");
    const std::string saved = home != nullptr ? home : "";
    const passwd* entry = ::getpwuid(::geteuid());
    REQUIRE(entry != nullptr);
    const std::filesystem::path expected =
        std::filesystem::path(entry->pw_dir) / ".local/state/cxtm-o11y/backups/c1";
    ::unsetenv("HOME");
    const auto unset = LocalBackupStore::root_for("~/.local/state/cxtm-o11y", "c1");
    ::setenv("HOME", "", 1);
    const auto empty = LocalBackupStore::root_for("~/.local/state/cxtm-o11y", "c1");
    ::setenv("HOME", "relative/dir", 1);
    const auto relative = LocalBackupStore::root_for("~/.local/state/cxtm-o11y", "c1");
    ::setenv("HOME", saved.c_str(), 1);
    CHECK(unset == expected);
    CHECK(empty == expected);
    CHECK(relative == expected);
  }

  TEST_CASE("names cannot walk out of the store") {
    cxtm::testing::TempDir dir;
    LocalBackupStore store(dir.path());
    CHECK_THROWS_AS(store.original("..", "x"), cxtm::Error);
    CHECK_THROWS_AS(store.original("default", "../../etc"), cxtm::Error);
  }

  TEST_CASE("~/ in state_dir is the home directory") {
    const char* home = std::getenv("HOME");
    const std::string saved = home != nullptr ? home : "";
    ::setenv("HOME", "/home/someone", 1);
    const auto root = LocalBackupStore::root_for("~/.local/state/cxtm-o11y", "c1");
    ::setenv("HOME", saved.c_str(), 1);
    CHECK(root == "/home/someone/.local/state/cxtm-o11y/backups/c1");
    CHECK(LocalBackupStore::root_for("/var/lib/x", "c1") == "/var/lib/x/backups/c1");
  }
}

}  // namespace test_backup_local_store
