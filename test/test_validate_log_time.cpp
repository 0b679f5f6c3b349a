// The times `kubectl logs --timestamps` puts before each line, read and taken off again.
#include <doctest/doctest.h>

#include "validate/log_time.h"

namespace test_validate_log_time {

using namespace cxtm::validate;
using namespace std::chrono_literals;

TEST_SUITE("validate/log_time") {
  TEST_CASE("RFC 3339 in UTC, with or without a fraction") {
    const auto whole = parse_rfc3339("2025-01-01T10:00:00Z");
    REQUIRE(whole);
    CHECK(std::chrono::system_clock::to_time_t(*whole) == 1735725600);
    const auto nanos = parse_rfc3339("2025-01-01T10:00:00.123456789Z");
    REQUIRE(nanos);
    CHECK(*nanos - *whole == 123456789ns);
    CHECK(*parse_rfc3339("2025-01-01T10:00:00.5Z") - *whole == 500ms);
    for (const char* bad : {"2025-01-01T10:00:00", "2025-01-01T10:00:00+01:00", "yesterday",
                            "2025-01-01T10:00:00.Z", "2025-01-01T10:00:00.12x4Z", ""}) {
      CAPTURE(bad);
      CHECK_FALSE(parse_rfc3339(bad));
    }
  }

  TEST_CASE("each line's time is taken off and the first line's kept") {
    const auto log = strip_timestamps(
        "2025-01-01T10:00:05.000000000Z cxtm-o11y: tracing started pid=1\n"
        "2025-01-01T10:00:06.000000000Z [INFO] ready\n");
    CHECK(log.text == "cxtm-o11y: tracing started pid=1\n[INFO] ready\n");
    REQUIRE(log.first_line);
    CHECK(*log.first_line - *parse_rfc3339("2025-01-01T10:00:00Z") == 5s);
    // Lines without a time (a cut at limitBytes, a log read without timestamps) stay as they are.
    const auto plain = strip_timestamps("no time here\n");
    CHECK(plain.text == "no time here\n");
    CHECK_FALSE(plain.first_line);
  }
}

}  // namespace test_validate_log_time
