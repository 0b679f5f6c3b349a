#include "core/private_directory.h"

#include <fmt/core.h>
#include <stdlib.h>  // mkdtemp

#include <cerrno>
#include <cstring>
#include <system_error>

#include "core/error.h"

namespace cxtm {
namespace {

std::filesystem::path temporary_root() {
  std::error_code error;
  const auto root = std::filesystem::temp_directory_path(error);  // $TMPDIR, else /tmp
  return error ? std::filesystem::path("/tmp") : root;
}

}  // namespace

PrivateDirectory::PrivateDirectory(std::string_view prefix) {
  std::string pattern = (temporary_root() / (std::string(prefix) + "XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw Error(ExitCode::failed, fmt::format("cannot create a private directory in {}: {}",
                                              temporary_root().string(), std::strerror(errno)));
  }
  path_ = pattern;
}

PrivateDirectory::~PrivateDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace cxtm
