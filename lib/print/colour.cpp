#include "print/colour.h"

#include <fmt/core.h>
#include <unistd.h>

#include <cstdlib>

namespace cxtm::print {
namespace {

std::string_view ansi_code(Tone tone) {
  switch (tone) {
    case Tone::good:
      return "32";  // green
    case Tone::bad:
      return "1;31";  // bold red
    case Tone::warning:
      return "33";  // yellow
    case Tone::quiet:
      return "2";  // dim
  }
  return "0";
}

bool set_and_not_empty(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0';
}

}  // namespace

Colour detect_colour(std::FILE* stream, PlainAsked plain) {
  if (plain == PlainAsked::yes || set_and_not_empty("NO_COLOR")) return Colour::off;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") return Colour::off;
  return ::isatty(::fileno(stream)) != 0 ? Colour::on : Colour::off;
}

std::string paint(std::string_view text, Tone tone, Colour colour) {
  if (colour == Colour::off || text.empty()) return std::string(text);
  return fmt::format("\033[{}m{}\033[0m", ansi_code(tone), text);
}

std::string paint_padded(std::string_view text, size_t width, Tone tone, Colour colour) {
  const std::string padding(text.size() < width ? width - text.size() : 0, ' ');
  return paint(text, tone, colour) + padding;
}

}  // namespace cxtm::print
