#include "core/duration.h"

#include <array>
#include <cctype>
#include <utility>

namespace cxtm {
namespace {

struct Unit {
  std::string_view suffix;
  Duration length;
};

// Longest suffix first so "ms" is not read as "m" followed by garbage.
constexpr std::array<Unit, 4> kUnits = {{
    {"ms", Duration(1)},
    {"h", std::chrono::hours(1)},
    {"m", std::chrono::minutes(1)},
    {"s", std::chrono::seconds(1)},
}};

}  // namespace

std::optional<Duration> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text == "0") return Duration(0);
  Duration total(0);
  while (!text.empty()) {
    size_t digits = 0;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
    if (digits == 0 || digits > 9) return std::nullopt;
    const long long amount = std::stoll(std::string(text.substr(0, digits)));
    text.remove_prefix(digits);
    const Unit* unit = nullptr;
    for (const Unit& candidate : kUnits) {
      if (text.starts_with(candidate.suffix)) {
        unit = &candidate;
        break;
      }
    }
    if (unit == nullptr) return std::nullopt;
    text.remove_prefix(unit->suffix.size());
    total += amount * unit->length;
  }
  return total;
}

std::string format_duration(Duration duration) {
  using namespace std::chrono;
  if (duration < seconds(1)) return std::to_string(duration.count()) + "ms";
  std::string out;
  auto rest = duration;
  const auto hours_part = duration_cast<hours>(rest);
  rest -= hours_part;
  const auto minutes_part = duration_cast<minutes>(rest);
  rest -= minutes_part;
  const auto seconds_part = duration_cast<seconds>(rest);
  if (hours_part.count() > 0) out += std::to_string(hours_part.count()) + "h";
  if (minutes_part.count() > 0) out += std::to_string(minutes_part.count()) + "m";
  if (seconds_part.count() > 0 || out.empty()) out += std::to_string(seconds_part.count()) + "s";
  return out;
}

}  // namespace cxtm
