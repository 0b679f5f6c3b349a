#include "instrument/object_edit.h"

#include <fmt/core.h>

#include <algorithm>
#include <array>

#include "core/error.h"

namespace cxtm::instrument {

namespace {

// kubectl prints objects with sorted keys; the API server itself writes Go's field order.
bool keys_sorted(const Json& object) {
  if (object.size() < 2) return false;
  const std::string* previous = nullptr;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (previous != nullptr && *previous > it.key()) return false;
    previous = &it.key();
  }
  return true;
}

std::string_view article(std::string_view type_name) {
  return type_name.starts_with('a') || type_name.starts_with('o') ? "an" : "a";
}

}  // namespace

Json& annotations_of(Json& object) {
  // Where the API server writes new members (Go field order).
  static constexpr std::array<std::string_view, 1> kAfterMetadata = {"spec"};
  static constexpr std::array<std::string_view, 3> kAfterAnnotations = {
      "ownerReferences", "finalizers", "managedFields"};
  Json& metadata = ensure_member(object, "metadata", Json::object(), kAfterMetadata);
  return ensure_member(metadata, "annotations", Json::object(), kAfterAnnotations);
}

Json& ensure_member(Json& object, std::string_view key, Json initial,
                    std::span<const std::string_view> successors) {
  if (const auto found = object.find(key); found != object.end()) {
    if (found->is_null()) {
      *found = std::move(initial);
    } else if (found->type() != initial.type()) {
      // Never from the API server, which checks every field's type; from a file, it could be.
      throw Error(ExitCode::usage, fmt::format("{} is {} {}, not {} {}", key,
                                               article(found->type_name()), found->type_name(),
                                               article(initial.type_name()), initial.type_name()));
    }
    return *found;
  }
  const bool sorted = keys_sorted(object);
  const auto goes_before = [&](const std::string& existing) {
    if (sorted) return existing > key;
    return std::find(successors.begin(), successors.end(), existing) != successors.end();
  };
  // ordered_json cannot insert in the middle: rebuild the object with the new member in place.
  Json rebuilt = Json::object();
  bool placed = false;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (!placed && goes_before(it.key())) {
      rebuilt[std::string(key)] = std::move(initial);
      placed = true;
    }
    rebuilt[it.key()] = std::move(it.value());
  }
  if (!placed) rebuilt[std::string(key)] = std::move(initial);
  object = std::move(rebuilt);
  return object[std::string(key)];
}

const Json& template_annotations(const Json& workload) {
  return member_at(workload, {"spec", "template", "metadata", "annotations"});
}

void drop_if_empty(Json& object, std::string_view key) {
  if (!object.is_object()) return;
  const auto found = object.find(key);
  if (found != object.end() && (found->is_array() || found->is_object()) && found->empty()) {
    object.erase(found);
  }
}

size_t erase_named(Json& object, std::string_view key, std::string_view name) {
  if (!object.is_object()) return 0;
  const auto found = object.find(key);
  if (found == object.end() || !found->is_array()) return 0;
  Json& array = *found;
  const size_t before = array.size();
  Json kept = Json::array();
  for (Json& element : array) {
    if (string_member(element, "name") != name) kept.push_back(std::move(element));
  }
  array = std::move(kept);
  const size_t removed = before - array.size();
  if (removed > 0) drop_if_empty(object, key);
  return removed;
}

size_t find_named(const Json& array, std::string_view name) {
  if (!array.is_array()) return npos;
  for (size_t i = array.size(); i-- > 0;) {
    if (string_member(array[i], "name") == name) return i;
  }
  return npos;
}

}  // namespace cxtm::instrument
