#pragma once
// Turns yaml-cpp marks (0-based, relative to the text that was parsed) into 1-based positions in
// the file being linted. The parsed text is either the file itself or a string value inside it,
// such as the `relay.yaml: |` block of a ConfigMap.

#include <yaml-cpp/yaml.h>

#include <string_view>

namespace cxtm::lint {

struct Position {
  int line = 1;    // 1-based
  int column = 1;  // 1-based
};

class Locator {
 public:
  // The parsed text is the file itself.
  Locator() = default;

  // The parsed text is the string `value` (the value of mapping key `key`) inside file_text.
  // Positions are exact for a literal block scalar (`|`, `|-`, `|2`, ...), the way every
  // rendered ConfigMap writes its config. Folded and quoted strings do not keep lines one to
  // one, so every position inside them is the position of the value itself.
  static Locator inside_scalar(std::string_view file_text, const YAML::Node& key,
                               const YAML::Node& value);

  // Position of mark in the file; a null mark (yaml-cpp gives one for some nodes) maps to the
  // start of the parsed text.
  Position at(const YAML::Mark& mark) const;

 private:
  int first_line_ = 0;  // 0-based file line of the parsed text's first line
  int indent_ = 0;      // columns the block's lines are indented by in the file
  bool exact_ = true;   // false: every mark maps to `origin_`
  Position origin_;     // where the parsed text starts in the file
};

}  // namespace cxtm::lint
