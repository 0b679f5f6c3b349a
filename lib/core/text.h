#pragma once
// Case and surrounding blanks of text, byte by byte in the C locale (ASCII letters and
// whitespace; other bytes, UTF-8 included, are left as they are). Pure.

#include <string>
#include <string_view>

namespace cxtm {

// text with A-Z lowered.
std::string to_lower(std::string_view text);

// text with a-z raised.
std::string to_upper(std::string_view text);

// text without the whitespace (space, \t, \n, \v, \f, \r) at its start: a view into text.
std::string_view trim_left(std::string_view text);

// text without the whitespace at either end: a view into text.
std::string_view trim(std::string_view text);

}  // namespace cxtm
