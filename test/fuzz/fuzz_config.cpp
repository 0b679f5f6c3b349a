// Any text as cxtm-o11y.yaml: parse_config either returns a Config or throws cxtm::Error with a
// one-line message naming the file. Any other exception, a crash or a sanitizer report is a bug.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/config.h"
#include "core/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    (void)cxtm::config::parse_config(text, "fuzz.yaml", {});
  } catch (const cxtm::Error& error) {
    const std::string_view message = error.what();
    if (message.find("fuzz.yaml") == std::string_view::npos) std::abort();
    if (message.find('\n') != std::string_view::npos) std::abort();
  }
  return 0;
}
