#pragma once
// Small edits of Kubernetes objects that leave everything else as it was: members read without
// inserting, new members placed where the API server would write them, emptied lists dropped
// (the API server omits empty lists and maps, so an object read back never has them).

#include <span>
#include <string>
#include <string_view>

#include "core/json.h"

namespace cxtm::instrument {

// member() and string_member() (core/json.h), read without inserting.
using ::cxtm::member;
using ::cxtm::string_member;

// object[key], created as `initial` when missing: in sorted position when object's keys are
// sorted (as kubectl prints them), else before the first of `successors` it has (the API
// server's field order), else at the end. object must be an object. Throws Error(usage) naming
// key when object has it as another type than initial's ("annotations is an array, not an
// object").
Json& ensure_member(Json& object, std::string_view key, Json initial,
                    std::span<const std::string_view> successors);

// object.metadata.annotations, created where the API server writes them when missing.
Json& annotations_of(Json& object);

// workload.spec.template.metadata.annotations, or null: where the tool's record and the
// Operator's inject annotations are.
const Json& template_annotations(const Json& workload);

// Removes object[key] when it is an empty array or object.
void drop_if_empty(Json& object, std::string_view key);

// Removes every element of the array object[key] whose "name" is name; then drops the member
// if it became empty. Returns how many were removed.
size_t erase_named(Json& object, std::string_view key, std::string_view name);

inline constexpr size_t npos = static_cast<size_t>(-1);

// Index of the element of array whose "name" is name (the last one when there are several:
// Kubernetes lets the last of equal env names win), or npos.
size_t find_named(const Json& array, std::string_view name);

}  // namespace cxtm::instrument
