#include "lint/yaml_locate.h"

#include <cctype>

namespace cxtm::lint {
namespace {

// Leading spaces of the first line from `offset` on that holds anything but spaces; -1 if none.
int first_content_indent(std::string_view text, size_t offset) {
  while (offset < text.size()) {
    size_t end = text.find('\n', offset);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(offset, end - offset);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const size_t spaces = line.find_first_not_of(' ');
    if (spaces != std::string_view::npos) return static_cast<int>(spaces);
    offset = end + 1;
  }
  return -1;
}

}  // namespace

Locator Locator::inside_scalar(std::string_view file_text, const YAML::Node& key,
                               const YAML::Node& value) {
  Locator locator;
  locator.exact_ = false;
  const YAML::Mark mark = value.Mark().is_null() ? key.Mark() : value.Mark();
  if (mark.is_null()) return locator;
  locator.origin_ = {mark.line + 1, mark.column + 1};

  // A literal block starts with its header: '|', then chomping and indentation indicators.
  const auto start = static_cast<size_t>(mark.pos);
  if (start >= file_text.size() || file_text[start] != '|') return locator;
  int explicit_indent = 0;
  size_t cursor = start + 1;
  while (cursor < file_text.size() &&
         (file_text[cursor] == '-' || file_text[cursor] == '+' ||
          std::isdigit(static_cast<unsigned char>(file_text[cursor])))) {
    if (std::isdigit(static_cast<unsigned char>(file_text[cursor]))) {
      explicit_indent = file_text[cursor] - '0';
    }
    ++cursor;
  }
  const size_t header_end = file_text.find('\n', cursor);
  if (header_end == std::string_view::npos) return locator;

  // An explicit indicator counts from the parent's indentation, which is where the key sits.
  const int indent = explicit_indent > 0 ? key.Mark().column + explicit_indent
                                         : first_content_indent(file_text, header_end + 1);
  if (indent < 0) return locator;
  locator.first_line_ = mark.line + 1;
  locator.indent_ = indent;
  locator.exact_ = true;
  locator.origin_ = {locator.first_line_ + 1, indent + 1};
  return locator;
}

Position Locator::at(const YAML::Mark& mark) const {
  if (!exact_ || mark.is_null()) return origin_;
  return {first_line_ + mark.line + 1, indent_ + mark.column + 1};
}

}  // namespace cxtm::lint
