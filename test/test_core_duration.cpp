#include <doctest/doctest.h>

#include "core/duration.h"

namespace test_core_duration {

using namespace std::chrono_literals;

TEST_SUITE("core/duration") {
  TEST_CASE("parses kubectl-style durations") {
    CHECK(cxtm::parse_duration("90s") == cxtm::Duration(90s));
    CHECK(cxtm::parse_duration("5m") == cxtm::Duration(5min));
    CHECK(cxtm::parse_duration("1m30s") == cxtm::Duration(90s));
    CHECK(cxtm::parse_duration("250ms") == cxtm::Duration(250ms));
    CHECK(cxtm::parse_duration("2h") == cxtm::Duration(2h));
    CHECK(cxtm::parse_duration("0") == cxtm::Duration(0));
  }

  TEST_CASE("rejects what is not a duration") {
    for (const char* bad : {"", "5", "-5s", "5x", "s", "1.5s", "m5", "9999999999s"}) {
      CAPTURE(bad);
      CHECK_FALSE(cxtm::parse_duration(bad).has_value());
    }
  }

  TEST_CASE("formats the shortest readable form") {
    CHECK(cxtm::format_duration(90s) == "1m30s");
    CHECK(cxtm::format_duration(250ms) == "250ms");
    CHECK(cxtm::format_duration(0ms) == "0ms");
    CHECK(cxtm::format_duration(2h) == "2h");
  }
}

}  // namespace test_core_duration
