// Any bytes as a backup file or ConfigMap payload: parse_backup verifies or throws cxtm::Error.
#include <cstdint>
#include <string_view>

#include "backup/backup.h"
#include "core/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    (void)cxtm::backup::parse_backup(text, "fuzz.json");
  } catch (const cxtm::Error&) {
  }
  return 0;
}
