#pragma once
// Limits on a parsed YAML document with its aliases expanded, checked before anything walks
// it: an alias to its own anchor (`a: &x [*x]`) makes a cycle that a recursive walk follows
// until the stack overflows, and nested aliases ("billion laughs") make a few hundred bytes
// expand to billions of nodes. Neither has a place in a collector or cxtm-o11y config.

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <optional>
#include <string>

#include "core/yaml_syntax.h"  // kMaxYamlDepth

namespace cxtm {

inline constexpr std::size_t kMaxYamlNodes = 200'000;

// nullopt when the document is within both limits; otherwise why not, as a phrase ("nests
// deeper than 64 levels (an alias to its own anchor?)").
std::optional<std::string> yaml_bounds_problem(const YAML::Node& root);

}  // namespace cxtm
