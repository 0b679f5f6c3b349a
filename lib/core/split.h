#pragma once
// Cutting text into the parts between separators. Pure.

#include <string>
#include <string_view>
#include <vector>

namespace cxtm {

// The parts of text between separators, empty ones left out: ("a, b,", ", ") -> {"a", "b,"}.
std::vector<std::string> split_nonempty(std::string_view text, std::string_view separator);

}  // namespace cxtm
