#pragma once
// A fresh private directory under /tmp (core/private_directory.h), removed with everything in it
// when the object goes, with helpers to write and read files in it.

#include <filesystem>
#include <string>

#include "core/private_directory.h"

namespace cxtm::testing {

class TempDir {
 public:
  TempDir() : dir_("cxtm-test-") {}

  const std::filesystem::path& path() const { return dir_.path(); }
  // Writes text to name inside the directory (mode 0755 when executable) and returns its path.
  std::filesystem::path write(const std::string& name, const std::string& text,
                              bool executable = false) const;
  // The whole content of name inside the directory.
  std::string read(const std::string& name) const;

 private:
  PrivateDirectory dir_;
};

}  // namespace cxtm::testing
