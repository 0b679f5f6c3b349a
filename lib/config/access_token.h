#pragma once
// The Splunk ingest access token, read from the environment variable the config names.

#include <optional>
#include <string>

#include "config/config.h"

namespace cxtm::config {

// The token when the variable is set and not empty, else nullopt: taken out of the environment
// (take_secret_env), so no child process inherits it.
std::optional<std::string> access_token_from_env(const Config& config);

}  // namespace cxtm::config
