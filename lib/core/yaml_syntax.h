#pragma once
// YAML syntax checked with libyaml, the reference C parser, before yaml-cpp builds a tree:
// yaml-cpp 0.7 (Debian 12) loops forever, allocating, on some invalid documents (a ',' at the
// top level: `,a` or `"a" ,`), so no text from a user reaches it unchecked.

#include <optional>
#include <string>
#include <string_view>

namespace cxtm {

struct YamlSyntaxError {
  int line = 0;         // 1-based
  int column = 0;       // 1-based
  std::string problem;  // libyaml's words: "did not find expected node content"
};

// The first syntax error of the YAML stream (all its documents), or nullopt.
std::optional<YamlSyntaxError> find_yaml_syntax_error(std::string_view text);

}  // namespace cxtm
