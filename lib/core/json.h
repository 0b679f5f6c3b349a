#pragma once
// One JSON type for every Kubernetes object and document: key order is kept, so output reads
// in the order templates and the API server wrote it.

#include <nlohmann/json.hpp>

namespace cxtm {
using Json = nlohmann::ordered_json;
}  // namespace cxtm
