#pragma once
// Error messages are one line: values quoted in them come from files and the cluster and may hold
// newlines, control characters or pages of text.

#include <string>
#include <string_view>

namespace cxtm {

// text with line breaks, tabs and other control characters written as escapes (\n, \t, \x1b) and
// cut to at most max_length characters (ending in "...") when longer.
std::string one_line(std::string_view text, size_t max_length = 400);

}  // namespace cxtm
