#include "validate/log_time.h"

#include <ctime>

namespace cxtm::validate {

std::optional<TimePoint> parse_rfc3339(std::string_view text) {
  if (text.size() < 20 || text.back() != 'Z') return std::nullopt;
  std::tm parts{};
  const std::string whole(text.substr(0, 19));
  const char* end = ::strptime(whole.c_str(), "%Y-%m-%dT%H:%M:%S", &parts);
  if (end == nullptr || *end != '\0') return std::nullopt;
  std::chrono::nanoseconds fraction{0};
  const std::string_view rest = text.substr(19, text.size() - 20);
  if (!rest.empty()) {
    if (rest[0] != '.' || rest.size() < 2 || rest.size() > 10) return std::nullopt;
    long long value = 0;
    for (char digit : rest.substr(1)) {
      if (digit < '0' || digit > '9') return std::nullopt;
      value = value * 10 + (digit - '0');
    }
    for (size_t digits = rest.size() - 1; digits < 9; ++digits) value *= 10;
    fraction = std::chrono::nanoseconds(value);
  }
  return std::chrono::system_clock::from_time_t(::timegm(&parts)) +
         std::chrono::duration_cast<std::chrono::system_clock::duration>(fraction);
}

TimestampedLog strip_timestamps(std::string_view log) {
  TimestampedLog out;
  size_t start = 0;
  bool first = true;
  while (start < log.size()) {
    const size_t end = std::min(log.find('\n', start), log.size());
    std::string_view line = log.substr(start, end - start);
    const size_t space = line.find(' ');
    const auto time =
        space == std::string_view::npos ? std::nullopt : parse_rfc3339(line.substr(0, space));
    if (time) line.remove_prefix(space + 1);
    if (first) out.first_line = time;
    first = false;
    out.text.append(line);
    if (end < log.size()) out.text.push_back('\n');
    start = end + 1;
  }
  return out;
}

}  // namespace cxtm::validate
