// Reading what an installer says it did from its log (instrument/installer_report.h).

#include <doctest/doctest.h>

#include "instrument/installer_report.h"
#include "support/installer_log.h"

namespace test_instrument_installer_report {

using cxtm::instrument::read_installer_log;

TEST_SUITE("instrument/installer_report") {
  TEST_CASE("the summary lines: added, the app's own kept, overrides") {
    const auto report = read_installer_log(cxtm::testing::kInstallerLog);
    REQUIRE(report.added.size() == 22);
    CHECK(report.added.front() == "certifi==2025.6.15");
    CHECK(report.added.back() == "zipp==3.23.0");
    CHECK(report.kept == std::vector<std::string>{"packaging 24.1", "typing-extensions 4.12.2"});
    CHECK(report.overrides == 0);
  }

  TEST_CASE("an installer of an earlier tool version: pip's line, nothing else known") {
    const auto report = read_installer_log(
        "Collecting opentelemetry-distro==0.62b0\n"
        "Successfully installed opentelemetry-api-1.41.0 opentelemetry-distro-0.62b0\r\n");
    CHECK(report.added ==
          std::vector<std::string>{"opentelemetry-api-1.41.0", "opentelemetry-distro-0.62b0"});
    CHECK(report.kept.empty());
    CHECK_FALSE(report.overrides.has_value());
  }

  TEST_CASE("a marker inside another line is not the installer's, and nothing is nothing") {
    const auto report = read_installer_log(
        "app says: cxtm-o11y installer: added 1: evil==1; overrides of the app's "
        "distributions: 9\n");
    CHECK(report.added.empty());
    CHECK_FALSE(report.overrides.has_value());
    CHECK(read_installer_log("").added.empty());
    // A count that is not a number is not reported.
    CHECK_FALSE(read_installer_log("cxtm-o11y installer: added 1: a==1; overrides of the app's "
                                   "distributions: many\n")
                    .overrides.has_value());
  }
}

}  // namespace test_instrument_installer_report
