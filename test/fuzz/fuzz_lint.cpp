// Any text as a collector config: lint returns findings (a parse error is a finding), never
// throws, never crashes.
#include <cstdint>
#include <string_view>

#include "lint/collector_lint.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)cxtm::lint::lint_collector_config(text, "fuzz.yaml", {.realm = "us1"});
  return 0;
}
