#include <doctest/doctest.h>

#include "config/config.h"
#include "core/error.h"
#include "core/one_line.h"

namespace test_core_one_line {

using cxtm::one_line;

TEST_SUITE("core/one_line") {
  TEST_CASE("control characters become escapes") {
    CHECK(one_line("a\nb\tc\rd\x1b[31m") == "a\\nb\\tc\\rd\\x1b[31m");
    CHECK(one_line("plain: text 'quoted'") == "plain: text 'quoted'");
  }

  TEST_CASE("long text is cut with an ellipsis") {
    CHECK(one_line(std::string(50, 'x'), 10) == "xxxxxxx...");
    CHECK(one_line(std::string(10, 'x'), 10) == std::string(10, 'x'));
  }

  // Found by fuzz_config: a multi-line scalar quoted in a config error made it two lines.
  TEST_CASE("a config error quoting a multi-line value stays on one line") {
    try {
      (void)cxtm::config::parse_config("cluster: c\nsplunk: \"line one\n\n  line two\"\n",
                                       "bad.yaml", {});
      FAIL("expected an error");
    } catch (const cxtm::Error& error) {
      const std::string message = error.what();
      CHECK(message.find('\n') == std::string::npos);
      CHECK(message.find("bad.yaml:2") == 0);
    }
  }
}

}  // namespace test_core_one_line
