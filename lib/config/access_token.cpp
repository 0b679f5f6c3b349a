#include "config/access_token.h"

#include "core/secret_env.h"

namespace cxtm::config {

std::optional<std::string> access_token_from_env(const Config& config) {
  return take_secret_env(config.splunk.access_token.env);
}

}  // namespace cxtm::config
