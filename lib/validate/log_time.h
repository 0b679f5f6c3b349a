#pragma once
// The times `kubectl logs --timestamps` puts before each line (RFC 3339, as the kubelet writes
// them: "2025-01-01T10:00:00.123456789Z "), taken off again. Pure.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace cxtm::validate {

using TimePoint = std::chrono::system_clock::time_point;

// "2025-01-01T10:00:00Z", with or without a fraction of a second, UTC ("Z") only; nullopt
// for anything else.
std::optional<TimePoint> parse_rfc3339(std::string_view text);

struct TimestampedLog {
  std::string text;                     // the log as the app wrote it
  std::optional<TimePoint> first_line;  // when its first line was written
};

// Takes the time off each line that has one.
TimestampedLog strip_timestamps(std::string_view log);

}  // namespace cxtm::validate
