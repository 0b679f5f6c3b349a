#pragma once
// One JSON type for every Kubernetes object and document: key order is kept, so output reads
// in the order templates and the API server wrote it.

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace cxtm {
using Json = nlohmann::ordered_json;

// Whether a and b hold the same values, whatever the order of their objects' keys (kubectl
// prints keys sorted; the tool writes them in its own order).
bool same_json(const Json& a, const Json& b);

// value with every object's keys in byte order, as kubectl prints objects (Go's encoding/json
// sorts a map's keys); arrays keep their order.
Json keys_sorted(const Json& value);

// Whether live holds everything desired says: every member of a desired object, with a value
// it covers; arrays of the same length, item by item; other values equal. What the API server
// added (defaults, status, metadata of its own) does not count. For objects the tool writes
// whole and only checks (the collector's ClusterRole when an admin applied it).
bool json_covers(const Json& live, const Json& desired);

// Reads that never throw or insert: what a missing member, or one of another type, reads as.
// For objects from the API server, files and answers that may lack any of them.

// object[key], or null when object is not an object or has no such member.
const Json& member(const Json& object, std::string_view key);

// member() along path: member_at(d, {"spec", "template"}) is d.spec.template, or null.
const Json& member_at(const Json& object, std::initializer_list<std::string_view> path);

// object[key] when it is an object (an array), else an empty one: a read that neither copies
// nor inserts, where object.value(key, Json::object()) would copy the whole member.
const Json& object_member(const Json& object, std::string_view key);
const Json& array_member(const Json& object, std::string_view key);

// object[key] when it is a string, else "".
std::string string_member(const Json& object, std::string_view key);

// The strings of the array object[key], other items left out; empty when it is no array.
std::vector<std::string> strings_member(const Json& object, std::string_view key);

// object[key] when it is an integer, else fallback.
template <typename Integer = long long>
Integer integer_member(const Json& object, std::string_view key, Integer fallback = 0) {
  const Json& value = member(object, key);
  return value.is_number_integer() ? value.get<Integer>() : fallback;
}

}  // namespace cxtm
