#include "support/config_errors.h"

#include <doctest/doctest.h>

#include "config/config.h"
#include "core/error.h"

namespace cxtm::testing {

std::string config_error(const std::string& text) {
  try {
    config::parse_config(text, "bad.yaml");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::usage);
    const std::string message = e.what();
    CHECK(message.find('\n') == std::string::npos);
    return message;
  }
  FAIL("expected a config error for: " << text);
  return "";
}

}  // namespace cxtm::testing
