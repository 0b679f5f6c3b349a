#pragma once
// UTF-8 validation: YAML and JSON text must be UTF-8, and values read from files or the cluster
// are checked before they reach an emitter. (Written by hand: none of our libraries exposes a
// validator; nlohmann::json only throws while dumping.)

#include <optional>
#include <string_view>

namespace cxtm {

// The byte offset of the first sequence that is not well-formed UTF-8 (overlong forms,
// surrogates and code points above U+10FFFF included), or nullopt when text is valid.
std::optional<size_t> first_invalid_utf8(std::string_view text);

}  // namespace cxtm
