#pragma once
// A fresh directory made with mkdtemp (mode 0700, only this user may enter it) under $TMPDIR or
// /tmp, removed with everything in it when the object goes.

#include <filesystem>
#include <string_view>

namespace cxtm {

class PrivateDirectory {
 public:
  // "<prefix>XXXXXX" under the temporary directory. Throws Error(failed) when it cannot be made.
  explicit PrivateDirectory(std::string_view prefix = "cxtm-o11y-");
  ~PrivateDirectory();
  PrivateDirectory(const PrivateDirectory&) = delete;
  PrivateDirectory& operator=(const PrivateDirectory&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace cxtm
