#include <doctest/doctest.h>

#include "core/split.h"

namespace test_core_split {

using cxtm::split_nonempty;
using Parts = std::vector<std::string>;

TEST_SUITE("core/split") {
  TEST_CASE("the parts between separators, empty ones left out") {
    CHECK(split_nonempty("flask,logging", ",") == Parts{"flask", "logging"});
    CHECK(split_nonempty(",,a,,b,", ",") == Parts{"a", "b"});
    CHECK(split_nonempty("a, b,", ", ") == Parts{"a", "b,"});
    CHECK(split_nonempty("", ",").empty());
    CHECK(split_nonempty("one", " ") == Parts{"one"});
  }
}

}  // namespace test_core_split
