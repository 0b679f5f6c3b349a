#include "gitops/guarded_patch.h"

#include <set>
#include <string>
#include <vector>

namespace cxtm::gitops {
namespace {

bool is_index(const std::string& token) {
  return !token.empty() && token.find_first_not_of("0123456789") == std::string::npos;
}

struct Guards {
  Json tests = Json::array();
  std::set<std::string> paths;

  void test(const Json::json_pointer& pointer, const Json& value) {
    if (paths.insert(pointer.to_string()).second) {
      tests.push_back({{"op", "test"}, {"path", pointer.to_string()}, {"value", value}});
    }
  }
};

// The reference tokens of pointer, first to last.
std::vector<std::string> tokens_of(Json::json_pointer pointer) {
  std::vector<std::string> tokens;
  for (; !pointer.empty(); pointer = pointer.parent_pointer()) {
    tokens.insert(tokens.begin(), pointer.back());
  }
  return tokens;
}

// A test of the name of every named list item on the way to path in base.
void guard_items_on_the_way(const Json& base, const Json::json_pointer& path, Guards& guards) {
  Json::json_pointer prefix;
  const Json* node = &base;
  for (const auto& token : tokens_of(path)) {
    if (node->is_array()) {
      if (!is_index(token)) return;  // "-": the end of the list, nothing to name
      const size_t index = std::stoul(token);
      if (index >= node->size()) return;
      prefix /= index;
      node = &(*node)[index];
      if (node->is_object() && node->contains("name") && (*node)["name"].is_string()) {
        guards.test(prefix / "name", (*node)["name"]);
      }
    } else if (node->is_object() && node->contains(token)) {
      prefix /= token;
      node = &(*node)[token];
    } else {
      return;
    }
  }
}

}  // namespace

Json guarded_patch(const Json& base, const Json& target) {
  const Json operations = Json::diff(base, target);
  Guards guards;
  for (const auto& operation : operations) {
    const Json::json_pointer path(operation["path"].get<std::string>());
    guard_items_on_the_way(base, path, guards);
    const std::string op = operation["op"];
    if ((op == "replace" || op == "remove") && base.contains(path)) {
      guards.test(path, base.at(path));
    }
  }
  Json patch = std::move(guards.tests);
  for (const auto& operation : operations) patch.push_back(operation);
  return patch;
}

}  // namespace cxtm::gitops
