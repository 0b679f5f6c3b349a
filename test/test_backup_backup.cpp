#include <doctest/doctest.h>

#include <string>

#include "backup/backup.h"
#include "core/error.h"

namespace test_backup_backup {

using cxtm::Json;
using cxtm::backup::parse_backup;

namespace {

std::string refusal(const std::string& text) {
  try {
    (void)parse_backup(text, "b.json");
  } catch (const cxtm::Error& error) {
    return error.what();
  }
  return "";
}

Json deployment() {
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", {{"name", "cxtm-scheduler"}, {"namespace", "default"}}}};
}

}  // namespace

TEST_SUITE("backup/backup") {
  TEST_CASE("a backup made by make_backup reads back with its content") {
    const auto made =
        cxtm::backup::make_backup("scheduler", deployment(), cxtm::backup::Role::original);
    const auto read = parse_backup(made.to_json().dump(), "b.json");
    CHECK(read.object == deployment());
    CHECK(read.deployment == "cxtm-scheduler");
    CHECK(read.sha256 == made.sha256);
  }

  // Services may be StatefulSets and DaemonSets (services.<name>.kind): their backups were
  // written, then refused on reading as holding "no Deployment".
  TEST_CASE("a StatefulSet's and a DaemonSet's backups read back too") {
    for (const char* kind : {"StatefulSet", "DaemonSet"}) {
      CAPTURE(kind);
      Json workload = deployment();
      workload["kind"] = kind;
      const auto made = cxtm::backup::make_backup("ledger", workload, cxtm::backup::Role::snapshot);
      const auto read = parse_backup(made.to_json().dump(), "b.json");
      CHECK(read.object == workload);
      CHECK(read.ref().kind == kind);
    }
    Json pod = deployment();
    pod["kind"] = "Pod";
    CHECK(
        refusal(cxtm::backup::make_backup("p", pod, cxtm::backup::Role::original).to_json().dump())
            .find("holds no workload") != std::string::npos);
  }

  TEST_CASE("each store keeps a backup under the same name: the original, or its time") {
    auto backup =
        cxtm::backup::make_backup("scheduler", deployment(), cxtm::backup::Role::original);
    backup.created_at = "2025-01-02T03:04:05Z";
    CHECK(cxtm::backup::stored_name(backup) == "original.json");
    backup.role = cxtm::backup::Role::snapshot;
    CHECK(cxtm::backup::stored_name(backup) == "snapshot-20250102T030405Z.json");
  }

  TEST_CASE("truncated, foreign and tampered documents are refused with the reason") {
    const std::string good =
        cxtm::backup::make_backup("scheduler", deployment(), cxtm::backup::Role::original)
            .to_json()
            .dump();
    CHECK(refusal(good.substr(0, good.size() / 2)).find("not JSON") != std::string::npos);
    CHECK(refusal(R"({"apiVersion": 1, "kind": []})").find("is not a cxtm-o11y.io/v1") !=
          std::string::npos);
    CHECK(refusal(R"({"apiVersion": "cxtm-o11y.io/v1", "kind": "DeploymentBackup",
                      "object": {"kind": 7}})")
              .find("holds no workload") != std::string::npos);
    Json tampered = Json::parse(good);
    tampered["object"]["metadata"]["name"] = "other";
    CHECK(refusal(tampered.dump()).find("sha256 does not match") != std::string::npos);
    Json wrong_types = Json::parse(good);
    wrong_types["sha256"] = 12;
    CHECK(refusal(wrong_types.dump()).find("sha256 does not match") != std::string::npos);
  }

  // Found by fuzz_backup: a number too large for a double threw out_of_range, not parse_error,
  // and ended the process.
  TEST_CASE("a number out of range is refused like any other corruption") {
    CHECK(refusal(R"({"apiVersion": "cxtm-o11y.io/v1", "sha256": 6e70920})").find("not JSON") !=
          std::string::npos);
  }
}

}  // namespace test_backup_backup
