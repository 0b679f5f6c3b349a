#include <doctest/doctest.h>

#include <map>

#include "core/error.h"
#include "render/placeholders.h"

namespace test_render_placeholders {

using cxtm::render::substitute_placeholders;
using cxtm::render::whole_placeholder;

namespace {

const std::map<std::string, std::string> kValues = {{"path", "/opt/otel"}, {"a.b-c_1", "x"}};

std::string substituted(std::string_view text) {
  return substitute_placeholders(text, "t",
                                 [](const std::string& name) { return kValues.at(name); });
}

std::string refusal(std::string_view text) {
  try {
    substituted(text);
  } catch (const cxtm::Error& error) {
    CHECK(error.code() == cxtm::ExitCode::usage);
    return error.what();
  }
  return "";
}

}  // namespace

TEST_SUITE("render/placeholders") {
  TEST_CASE("a placeholder alone is a whole value, blanks around it allowed") {
    CHECK(whole_placeholder("{{ path }}") == "path");
    CHECK(whole_placeholder(" \t{{a.b-c_1}}\n") == "a.b-c_1");
    CHECK_FALSE(whole_placeholder("x {{ path }}"));
    CHECK_FALSE(whole_placeholder("{{ path }}{{ path }}"));
    CHECK_FALSE(whole_placeholder("{{ }}"));
  }

  TEST_CASE("placeholders inside text take the text given for their name") {
    CHECK(substituted("COPY [\"/x\", {{ path }}]\n") == "COPY [\"/x\", /opt/otel]\n");
    CHECK(substituted("{{path}}/{{\ta.b-c_1\n}}") == "/opt/otel/x");
    CHECK(substituted("no placeholder, a single { or }}") == "no placeholder, a single { or }}");
  }

  TEST_CASE("an unterminated or malformed placeholder is refused, in every template") {
    // The Dockerfiles' own substitution left these in its output as text before.
    CHECK(refusal("RUN cp -R {{ path /x") == "t: unterminated placeholder '{{'");
    CHECK(refusal("{{ path x }}") == "t: malformed placeholder '{{ path x }}'");
    CHECK(refusal("{{}}") == "t: malformed placeholder '{{}}'");
  }
}

}  // namespace test_render_placeholders
