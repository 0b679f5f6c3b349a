#pragma once
// The data files under templates/, compiled into the binary (cmake/EmbedFiles.cmake).

#include <map>
#include <string>
#include <string_view>

namespace cxtm::embedded {
// Relative path under templates/ → file content.
const std::map<std::string, std::string_view, std::less<>>& files();
}  // namespace cxtm::embedded
