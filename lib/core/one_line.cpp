#include "core/one_line.h"

#include <fmt/format.h>

namespace cxtm {

std::string one_line(std::string_view text, size_t max_length) {
  std::string line;
  line.reserve(std::min(text.size(), max_length));
  for (const char c : text) {
    if (line.size() >= max_length) {
      line.resize(max_length > 3 ? max_length - 3 : 0);
      line += "...";
      break;
    }
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      line += "\\n";
    } else if (c == '\r') {
      line += "\\r";
    } else if (c == '\t') {
      line += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      line += fmt::format("\\x{:02x}", byte);
    } else {
      line += c;
    }
  }
  return line;
}

}  // namespace cxtm
