#pragma once
// Digests and encodings (OpenSSL's libcrypto underneath).

#include <string>
#include <string_view>

namespace cxtm {

// Lower-case hex SHA-256 of data.
std::string sha256_hex(std::string_view data);

// Standard base64 with padding, as Kubernetes Secret data wants it.
std::string base64_encode(std::string_view data);

}  // namespace cxtm
