#include "config/access_token.h"

#include <cstdlib>

#include "core/redact.h"

namespace cxtm::config {

std::optional<std::string> access_token_from_env(const Config& config) {
  const std::string& variable = config.splunk.access_token.env;
  if (variable.empty()) return std::nullopt;
  const char* value = std::getenv(variable.c_str());
  if (value == nullptr || *value == '\0') return std::nullopt;
  register_secret(value);
  return std::string(value);
}

}  // namespace cxtm::config
