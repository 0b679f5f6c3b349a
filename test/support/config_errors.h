#pragma once
// What the config tests share: the smallest valid config, and the error a bad one gives.

#include <string>

namespace cxtm::testing {

// cluster, and the realm: every other field has a default.
inline const std::string kMinimalConfig = "cluster: c1\nsplunk:\n  realm: us1\n";

// The one-line usage error parse_config gives for text (as file "bad.yaml"); fails the test
// when the text parses, when the code is not usage or when the message has a line break.
std::string config_error(const std::string& text);

}  // namespace cxtm::testing
