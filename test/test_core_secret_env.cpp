#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "core/digest.h"
#include "core/redact.h"
#include "core/secret_env.h"

namespace test_core_secret_env {

TEST_SUITE("core/secret_env") {
  TEST_CASE("a secret is read once, then gone from the environment and its block, and redacted") {
    const std::string value = "cxtm-secret-env-test-value-0123456789";
    REQUIRE(::setenv("CXTM_TEST_SECRET_ENV", value.c_str(), 1) == 0);
    CHECK(cxtm::take_secret_env("CXTM_TEST_SECRET_ENV") == value);
    CHECK(std::getenv("CXTM_TEST_SECRET_ENV") == nullptr);
    // (That the initial environment block is wiped too, which /proc/<pid>/environ shows, is
    // checked on the built binary: test_integration_faults.cpp, the canary search.)
    // Asked again: the same value, from memory.
    CHECK(cxtm::take_secret_env("CXTM_TEST_SECRET_ENV") == value);
    CHECK(cxtm::redact("token " + value) == "token [REDACTED]");
    // Its base64 form, as a Secret's data (or an API error echoing it) carries it, too.
    CHECK(cxtm::redact("data: " + cxtm::base64_encode(value)) == "data: [REDACTED]");
  }

  TEST_CASE("unset or empty: nothing, and nothing remembered as a secret") {
    ::unsetenv("CXTM_TEST_SECRET_UNSET");
    CHECK_FALSE(cxtm::take_secret_env("CXTM_TEST_SECRET_UNSET"));
    REQUIRE(::setenv("CXTM_TEST_SECRET_EMPTY", "", 1) == 0);
    CHECK_FALSE(cxtm::take_secret_env("CXTM_TEST_SECRET_EMPTY"));
    CHECK_FALSE(cxtm::take_secret_env(""));
  }
}

}  // namespace test_core_secret_env
