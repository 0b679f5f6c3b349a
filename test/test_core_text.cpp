#include <doctest/doctest.h>

#include "core/text.h"

namespace test_core_text {

using cxtm::to_lower;
using cxtm::to_upper;
using cxtm::trim;
using cxtm::trim_left;

TEST_SUITE("core/text") {
  TEST_CASE("case: ASCII letters only, every other byte as it is") {
    CHECK(to_lower("DaemonSet") == "daemonset");
    CHECK(to_upper("cxtm-o11y_2") == "CXTM-O11Y_2");
    CHECK(to_lower("\xC3\x84Z") == "\xC3\x84z");  // "ÄZ": the UTF-8 bytes untouched
    CHECK(to_lower("") == "");
  }

  TEST_CASE("trim: every kind of whitespace, at the ends only") {
    CHECK(trim(" \t\r\n\v\fa b\n ") == "a b");
    CHECK(trim_left("\n\t a b \n") == "a b \n");
    CHECK(trim("   ").empty());
    CHECK(trim("").empty());
  }
}

}  // namespace test_core_text
