#include "core/json.h"

namespace cxtm {

bool same_json(const Json& a, const Json& b) {
  // nlohmann::json keeps objects in a std::map: equal when the keys and values are.
  return nlohmann::json::parse(a.dump()) == nlohmann::json::parse(b.dump());
}

}  // namespace cxtm
