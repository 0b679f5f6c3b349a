#include "render/placeholders.h"

#include <fmt/core.h>

#include <algorithm>

#include "core/error.h"
#include "core/text.h"

namespace cxtm::render {
namespace {

bool is_name(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
  });
}

}  // namespace

std::optional<std::string> whole_placeholder(std::string_view text) {
  const std::string_view trimmed = trim(text);
  if (trimmed.size() < 4 || !trimmed.starts_with("{{") || !trimmed.ends_with("}}")) {
    return std::nullopt;
  }
  const std::string_view name = trim(trimmed.substr(2, trimmed.size() - 4));
  if (!is_name(name)) return std::nullopt;
  return std::string(name);
}

std::string substitute_placeholders(std::string_view text, std::string_view where,
                                    const std::function<std::string(const std::string&)>& text_of) {
  std::string out;
  size_t at = 0;
  while (true) {
    const size_t open = text.find("{{", at);
    if (open == std::string_view::npos) break;
    const size_t close = text.find("}}", open);
    if (close == std::string_view::npos) {
      throw Error(ExitCode::usage, fmt::format("{}: unterminated placeholder '{{{{'", where));
    }
    const std::string_view body = text.substr(open + 2, close - open - 2);
    const std::string_view name = trim(body);
    if (!is_name(name)) {
      throw Error(ExitCode::usage,
                  fmt::format("{}: malformed placeholder '{{{{{}}}}}'", where, body));
    }
    out.append(text.substr(at, open - at));
    out += text_of(std::string(name));
    at = close + 2;
  }
  out.append(text.substr(at));
  return out;
}

}  // namespace cxtm::render
