#pragma once
// One JSON type for every Kubernetes object and document: key order is kept, so output reads
// in the order templates and the API server wrote it.

#include <nlohmann/json.hpp>

namespace cxtm {
using Json = nlohmann::ordered_json;

// Whether a and b hold the same values, whatever the order of their objects' keys (kubectl
// prints keys sorted; the tool writes them in its own order).
bool same_json(const Json& a, const Json& b);
}  // namespace cxtm
