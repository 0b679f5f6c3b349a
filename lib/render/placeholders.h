#pragma once
// "{{ name }}" placeholders, read one way for every template the tool ships: the YAML ones
// (render_template) and the Dockerfiles (render_dockerfile). A name is letters, digits and
// "_.-", with blanks around it allowed. Pure.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace cxtm::render {

// The name when text is one placeholder and nothing else but blanks; nullopt otherwise.
std::optional<std::string> whole_placeholder(std::string_view text);

// text with each placeholder replaced by text_of(name); text_of throws for a name it has no
// text for. Throws Error(usage) "<where>: unterminated placeholder '{{'" for a "{{" without
// "}}" and "<where>: malformed placeholder '{{...}}'" for what is no name.
std::string substitute_placeholders(std::string_view text, std::string_view where,
                                    const std::function<std::string(const std::string&)>& text_of);

}  // namespace cxtm::render
