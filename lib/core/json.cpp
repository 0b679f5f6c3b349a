#include "core/json.h"

#include <algorithm>

namespace cxtm {

const Json& member(const Json& object, std::string_view key) {
  static const Json null;
  if (!object.is_object()) return null;
  const auto found = object.find(key);
  return found == object.end() ? null : *found;
}

const Json& member_at(const Json& object, std::initializer_list<std::string_view> path) {
  const Json* current = &object;
  for (std::string_view key : path) current = &member(*current, key);
  return *current;
}

const Json& object_member(const Json& object, std::string_view key) {
  static const Json empty = Json::object();
  const Json& value = member(object, key);
  return value.is_object() ? value : empty;
}

const Json& array_member(const Json& object, std::string_view key) {
  static const Json empty = Json::array();
  const Json& value = member(object, key);
  return value.is_array() ? value : empty;
}

std::string string_member(const Json& object, std::string_view key) {
  const Json& value = member(object, key);
  return value.is_string() ? value.get<std::string>() : "";
}

std::vector<std::string> strings_member(const Json& object, std::string_view key) {
  std::vector<std::string> strings;
  for (const Json& item : array_member(object, key)) {
    if (item.is_string()) strings.push_back(item.get<std::string>());
  }
  return strings;
}

bool same_json(const Json& a, const Json& b) {
  // nlohmann::json keeps objects in a std::map: equal when the keys and values are.
  return nlohmann::json::parse(a.dump()) == nlohmann::json::parse(b.dump());
}

Json keys_sorted(const Json& value) {
  if (value.is_array()) {
    Json sorted = Json::array();
    for (const Json& item : value) sorted.push_back(keys_sorted(item));
    return sorted;
  }
  if (!value.is_object()) return value;
  std::vector<Json::const_iterator> members;
  members.reserve(value.size());
  for (auto it = value.begin(); it != value.end(); ++it) members.push_back(it);
  std::sort(members.begin(), members.end(),
            [](const auto& a, const auto& b) { return a.key() < b.key(); });
  Json sorted = Json::object();
  for (const auto& it : members) sorted.emplace(it.key(), keys_sorted(it.value()));
  return sorted;
}

bool json_covers(const Json& live, const Json& desired) {
  if (desired.is_object()) {
    if (!live.is_object()) return false;
    for (const auto& [key, value] : desired.items()) {
      const auto found = live.find(key);
      if (found == live.end() || !json_covers(*found, value)) return false;
    }
    return true;
  }
  if (desired.is_array()) {
    if (!live.is_array() || live.size() != desired.size()) return false;
    for (std::size_t i = 0; i < desired.size(); ++i) {
      if (!json_covers(live[i], desired[i])) return false;
    }
    return true;
  }
  return live == desired;
}

}  // namespace cxtm
