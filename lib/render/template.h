#pragma once
// Templates are valid YAML. A scalar "{{ a.b }}" takes the value at path a.b in the values tree,
// with its type (string, number, boolean, list or mapping); placeholders inside longer text are
// replaced by the value's text. A mapping with the key "$if: a.b" is kept only when that value
// is set (not null, false, "" or empty) and dropped otherwise.
//
// Values are inserted into the parsed tree, never into the text, so no value (quotes, newlines,
// ": ", "#", "{{") can change the structure of the output.

#include <string_view>

#include "core/json.h"

namespace cxtm::render {

// Renders one template. Throws Error(usage) naming template and line for invalid YAML, a
// malformed or unknown placeholder, or a placeholder whose value is missing (null).
// Returns null when the whole document was dropped by a top-level "$if".
Json render_template(std::string_view text, std::string_view template_name, const Json& values);

}  // namespace cxtm::render
