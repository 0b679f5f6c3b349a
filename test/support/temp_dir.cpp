#include "support/temp_dir.h"

#include <fstream>
#include <sstream>

namespace cxtm::testing {

std::filesystem::path TempDir::write(const std::string& name, const std::string& text,
                                     bool executable) const {
  const auto file = path() / name;
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
  if (executable) {
    std::filesystem::permissions(file, std::filesystem::perms::owner_all |
                                           std::filesystem::perms::group_read |
                                           std::filesystem::perms::group_exec);
  }
  return file;
}

std::string TempDir::read(const std::string& name) const {
  std::ifstream in(path() / name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace cxtm::testing
