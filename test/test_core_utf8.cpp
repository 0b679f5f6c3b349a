#include <doctest/doctest.h>

#include "config/config.h"
#include "core/error.h"
#include "core/utf8.h"
#include "core/yaml_emit.h"

namespace test_core_utf8 {

TEST_SUITE("core/utf8") {
  TEST_CASE("well-formed UTF-8 passes, the first bad sequence is found") {
    CHECK_FALSE(cxtm::first_invalid_utf8("plain ascii, é, €, 𝄞").has_value());
    CHECK(cxtm::first_invalid_utf8("ab\xe0\xd2is") == 2u);      // bad continuation
    CHECK(cxtm::first_invalid_utf8("\xc0\xaf") == 0u);          // overlong '/'
    CHECK(cxtm::first_invalid_utf8("x\xed\xa0\x80") == 1u);     // a surrogate
    CHECK(cxtm::first_invalid_utf8("\xf4\x90\x80\x80") == 0u);  // above U+10FFFF
    CHECK(cxtm::first_invalid_utf8("ok\xe2\x82") == 2u);        // cut short
  }

  // Found by fuzz_template: a value that is not UTF-8 made the emitter write YAML that does not
  // read back. It is refused instead.
  TEST_CASE("the YAML emitter refuses text that is not UTF-8") {
    CHECK_THROWS_AS(cxtm::to_yaml(cxtm::Json{{"k", "a\xe0\xd2z"}}), cxtm::Error);
  }

  TEST_CASE("a config file that is not UTF-8 is refused with its line") {
    try {
      (void)cxtm::config::parse_config("cluster: c\nenvironment: \"x\xff\"\n", "bad.yaml", {});
      FAIL("expected an error");
    } catch (const cxtm::Error& error) {
      CHECK(std::string(error.what()) == "bad.yaml:2:16: not UTF-8 text");
    }
  }
}

}  // namespace test_core_utf8
