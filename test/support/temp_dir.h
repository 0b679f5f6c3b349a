#pragma once
// A fresh directory under /tmp, removed with everything in it when the object goes.

#include <filesystem>
#include <string>

namespace cxtm::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes text to name inside the directory (mode 0755 when executable) and returns its path.
  std::filesystem::path write(const std::string& name, const std::string& text,
                              bool executable = false) const;
  // The whole content of name inside the directory.
  std::string read(const std::string& name) const;

 private:
  std::filesystem::path path_;
};

}  // namespace cxtm::testing
