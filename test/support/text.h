#pragma once
// Small text checks the tests share.

#include <string>
#include <string_view>

namespace cxtm::testing {

// Whether text holds part anywhere.
inline bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

}  // namespace cxtm::testing
