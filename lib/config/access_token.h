#pragma once
// The Splunk ingest access token, read from the environment variable the config names.

#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"

namespace cxtm::config {

// The token when the variable is set and not empty, else nullopt: taken out of the environment
// (take_secret_env), so no child process inherits it. Always nullopt for an external Secret.
std::optional<std::string> access_token_from_env(const Config& config);

// Pure: a warning when the token variable is not the usual one and its name says it holds
// another product's secret (AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN, ...): a config naming it would
// send that secret to Splunk, and put it in the cluster's Secret. Empty otherwise.
std::string foreign_secret_warning(std::string_view variable, std::string_view file);

}  // namespace cxtm::config
