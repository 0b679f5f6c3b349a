#pragma once
// One JSON type for every Kubernetes object and document: key order is kept, so output reads
// in the order templates and the API server wrote it.

#include <nlohmann/json.hpp>

namespace cxtm {
using Json = nlohmann::ordered_json;

// Whether a and b hold the same values, whatever the order of their objects' keys (kubectl
// prints keys sorted; the tool writes them in its own order).
bool same_json(const Json& a, const Json& b);

// Whether live holds everything desired says: every member of a desired object, with a value
// it covers; arrays of the same length, item by item; other values equal. What the API server
// added (defaults, status, metadata of its own) does not count. For objects the tool writes
// whole and only checks (the collector's ClusterRole when an admin applied it).
bool json_covers(const Json& live, const Json& desired);

// object[key], or null when object is not an object or has no such member. Never inserts.
const Json& member(const Json& object, std::string_view key);

// object[key] when it is an object (an array), else an empty one: a read that neither copies
// nor inserts, where object.value(key, Json::object()) would copy the whole member.
const Json& object_member(const Json& object, std::string_view key);
const Json& array_member(const Json& object, std::string_view key);

// object[key] when it is a string, else "".
std::string string_member(const Json& object, std::string_view key);
}  // namespace cxtm
