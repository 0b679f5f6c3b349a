#pragma once
// The Splunk ingest access token, read from the environment variable the config names.

#include <optional>
#include <string>

#include "config/config.h"

namespace cxtm::config {

// The token when the variable is set and not empty (registered for redaction), else nullopt.
std::optional<std::string> access_token_from_env(const Config& config);

}  // namespace cxtm::config
