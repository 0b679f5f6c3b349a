#pragma once
// Secrets the process knows (tokens read from the environment) are registered once; every text
// that leaves the process through an error or log line passes through redact().

#include <string>
#include <string_view>

namespace cxtm {

// Remembers value, and its base64 form, as secret (ignored when shorter than 8 characters: too
// common to scrub).
void register_secret(std::string value);

// text with every registered secret replaced by "[REDACTED]".
std::string redact(std::string_view text);

}  // namespace cxtm
