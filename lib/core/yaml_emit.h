#pragma once
// JSON values out as YAML text that reads back as the same values: strings that a YAML parser
// would take for numbers, booleans or nulls are quoted; multi-line text uses a literal block only
// when that reads back byte for byte.

#include <string>
#include <vector>

#include "core/json.h"

namespace cxtm {

// One YAML document (no leading "---").
std::string to_yaml(const Json& value);

// Documents joined by "---" lines, as kubectl apply -f reads them.
std::string to_yaml_stream(const std::vector<Json>& documents);

}  // namespace cxtm
