#include "core/json.h"

namespace cxtm {

const Json& member(const Json& object, std::string_view key) {
  static const Json null;
  if (!object.is_object()) return null;
  const auto found = object.find(key);
  return found == object.end() ? null : *found;
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

bool same_json(const Json& a, const Json& b) {
  // nlohmann::json keeps objects in a std::map: equal when the keys and values are.
  return nlohmann::json::parse(a.dump()) == nlohmann::json::parse(b.dump());
}

}  // namespace cxtm
