#pragma once
// Go-style durations as kubectl takes them for --timeout: "90s", "5m", "1m30s", "250ms", "2h".

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace cxtm {

using Duration = std::chrono::milliseconds;
// The clock deadlines are measured on.
using Clock = std::chrono::steady_clock;

// Parses a duration; nullopt when the text is not one (empty, no unit, negative, unknown unit).
std::optional<Duration> parse_duration(std::string_view text);

// Shortest readable form: "1m30s", "250ms", "0s".
std::string format_duration(Duration duration);

}  // namespace cxtm
