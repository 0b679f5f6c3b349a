#include "core/yaml_bounds.h"

#include <fmt/core.h>

namespace cxtm {
namespace {

enum class Walk { ok, too_deep, too_many };

// Visits node and everything under it, aliases expanded, stopping at the first limit hit.
Walk visit(const YAML::Node& node, int depth, std::size_t& nodes) {
  if (depth > kMaxYamlDepth) return Walk::too_deep;
  if (++nodes > kMaxYamlNodes) return Walk::too_many;
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) {
      if (const Walk walk = visit(item, depth + 1, nodes); walk != Walk::ok) return walk;
    }
  } else if (node.IsMap()) {
    for (const auto& entry : node) {
      for (const YAML::Node& part : {entry.first, entry.second}) {
        if (const Walk walk = visit(part, depth + 1, nodes); walk != Walk::ok) return walk;
      }
    }
  }
  return Walk::ok;
}

}  // namespace

std::optional<std::string> yaml_bounds_problem(const YAML::Node& root) {
  std::size_t nodes = 0;
  switch (visit(root, 0, nodes)) {
    case Walk::ok:
      return std::nullopt;
    case Walk::too_deep:
      return fmt::format("nests deeper than {} levels (an alias to its own anchor?)",
                         kMaxYamlDepth);
    case Walk::too_many:
      return fmt::format("expands to more than {} nodes (aliases of aliases?)", kMaxYamlNodes);
  }
  return std::nullopt;
}

}  // namespace cxtm
