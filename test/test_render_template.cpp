#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include "core/error.h"
#include "core/yaml_emit.h"
#include "render/template.h"

namespace test_render_template {

using cxtm::Json;
using cxtm::to_yaml;
using cxtm::render::render_template;

namespace {

std::string template_error(const std::string& text, const Json& values) {
  try {
    render_template(text, "t.yaml", values);
  } catch (const cxtm::Error& e) {
    CHECK(e.code() == cxtm::ExitCode::usage);
    return e.what();
  }
  FAIL("expected a template error");
  return "";
}

// Values that have broken naive text templating somewhere.
const std::vector<std::string> kHostileValues = {
    "plain",
    "it's \"quoted\"",
    "line1\nline2",
    "trailing\n",
    "two\n\n",
    "key: value",
    "a #comment",
    "{{ other }}",
    "- item",
    "[1, 2]",
    "{a: 1}",
    "&anchor",
    "*alias",
    "!tag",
    "|",
    ">",
    "%directive",
    "@at",
    "`tick",
    "---",
    "...",
    "true",
    "no",
    "on",
    "null",
    "~",
    "4317",
    "0x1F",
    "1e3",
    "-1",
    ".5",
    "2024-01-01",
    "",
    " leading space",
    "trailing space ",
    "tab\there",
    "\ttab first",
    "back\\slash",
    "unicode é ✓",
    "ctrl\x01char",
    "\n",
    "  \n indented\n",
    "$(rm -rf /)",
    "${env:SPLUNK_OBSERVABILITY_ACCESS_TOKEN}",
};

}  // namespace

TEST_SUITE("render/template") {
  TEST_CASE("a whole-scalar placeholder keeps the value's type") {
    const Json values = {
        {"port", 4318}, {"on", true}, {"labels", {{"a", "b"}}}, {"list", {1, 2}}, {"name", "x"}};
    const Json out = render_template(
        "port: '{{ port }}'\nenabled: \"{{on}}\"\nlabels: '{{ labels }}'\nlist: '{{list}}'\n"
        "name: '{{ name }}'\n",
        "t.yaml", values);
    CHECK(out["port"] == 4318);
    CHECK(out["enabled"] == true);
    CHECK(out["labels"] == Json({{"a", "b"}}));
    CHECK(out["list"] == Json({1, 2}));
    CHECK(out["name"] == "x");
  }

  TEST_CASE("placeholders inside text and keys interpolate") {
    const Json values = {{"realm", "us1"}, {"port", 4318}, {"name", "otel"}};
    const Json out = render_template(
        "url: https://ingest.{{ realm }}.signalfx.com:{{port}}/x\n'{{name}}-config': 1\n", "t.yaml",
        values);
    CHECK(out["url"] == "https://ingest.us1.signalfx.com:4318/x");
    CHECK(out["otel-config"] == 1);
  }

  TEST_CASE("the template's own scalars resolve as YAML 1.2 core") {
    const Json out =
        render_template("a: 1\nb: true\nc: ~\nd: '1'\ne: 1.5\nf: on\ng: 99999999999999999999999\n",
                        "t.yaml", Json::object());
    CHECK(out["a"] == 1);
    CHECK(out["b"] == true);
    CHECK(out["c"].is_null());
    CHECK(out["d"] == "1");
    CHECK(out["e"] == 1.5);
    CHECK(out["f"] == "on");
    CHECK(out["g"] == "99999999999999999999999");
  }

  TEST_CASE("$if keeps or drops a mapping, also the whole document") {
    const std::string text =
        "kind: X\nitems:\n  - {$if: logs, name: hec}\n  - name: otlp\nextra:\n  $if: logs\n  k: "
        "v\n";
    const Json off = render_template(text, "t.yaml", {{"logs", false}});
    CHECK(off["items"].size() == 1);
    CHECK(off["items"][0]["name"] == "otlp");
    CHECK_FALSE(off.contains("extra"));
    const Json on = render_template(text, "t.yaml", {{"logs", true}});
    CHECK(on["items"].size() == 2);
    CHECK(on["extra"] == Json({{"k", "v"}}));
    CHECK_FALSE(on["extra"].contains("$if"));
    CHECK(render_template("$if: token\nkind: Secret\n", "t.yaml", {{"token", ""}}).is_null());
  }

  TEST_CASE("template errors name template and line") {
    CHECK(template_error("a: 1\nb: '{{ nope }}'\n", {{"x", 1}}) ==
          "template t.yaml:2: unknown placeholder 'nope'");
    CHECK(template_error("a: 1\nb: 'x-{{ a.b }}'\n", {{"a", {{"c", 1}}}}) ==
          "template t.yaml:2: unknown placeholder 'a.b'");
    CHECK(template_error("b: '{{ x }}'\n", {{"x", nullptr}}) ==
          "template t.yaml:1: missing value for 'x'");
    CHECK(template_error("\n\nb: 'a {{ x y }}'\n", {{"x", 1}}) ==
          "template t.yaml:3: malformed placeholder '{{ x y }}'");
    CHECK(template_error("b: 'a {{ x'\n", {{"x", 1}}) ==
          "template t.yaml:1: unterminated placeholder '{{'");
    CHECK(template_error("b: 'a {{ x }}'\n", {{"x", {1}}}) ==
          "template t.yaml:1: 'x' is a list or mapping and cannot be part of text");
    CHECK(template_error("a: [1\n", Json::object()).find("template t.yaml:") == 0);
  }

  TEST_CASE("no value can change the structure of the output") {
    const std::string text =
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: '{{ v }}'\n  labels:\n"
        "    x: 'pre-{{ v }}-post'\ndata:\n  '{{ v }}-key': '{{ v }}'\n  other: fixed\n";
    for (const std::string& hostile : kHostileValues) {
      CAPTURE(hostile);
      const Json rendered = render_template(text, "t.yaml", {{"v", hostile}});
      // Round trip through YAML text, as kubectl would read it.
      const YAML::Node back = YAML::Load(to_yaml(rendered));
      REQUIRE(back.IsMap());
      CHECK(back.size() == 4);
      CHECK(back["metadata"]["name"].as<std::string>() == hostile);
      CHECK(back["metadata"]["labels"]["x"].as<std::string>() == "pre-" + hostile + "-post");
      CHECK(back["data"].size() == 2);
      CHECK(back["data"][hostile + "-key"].as<std::string>() == hostile);
      CHECK(back["data"]["other"].as<std::string>() == "fixed");
    }
  }
}

TEST_SUITE("render/yaml_emit") {
  TEST_CASE("strings a parser would retype are quoted") {
    for (const char* text : {"true", "no", "On", "null", "~", "4317", "1.5", "-3", "0x1F", ""}) {
      CAPTURE(text);
      const std::string yaml = to_yaml(Json{{"k", text}});
      CHECK(yaml == "k: \"" + std::string(text) + "\"\n");
    }
    CHECK(to_yaml(Json{{"k", "plain-text"}}) == "k: plain-text\n");
    CHECK(to_yaml(Json{{"k", 4317}}) == "k: 4317\n");
    CHECK(to_yaml(Json{{"k", true}}) == "k: true\n");
  }

  TEST_CASE("line breaks and control characters read back exactly") {
    // fuzz_template found "x\r\r" read back as "x": a raw CR is folded by the parser.
    for (const std::string text :
         {"x\r\r", "a\rb", "a\n\n", "\n", "tab\there", "bell\x07", "trailing\r\n"}) {
      CAPTURE(text);
      const YAML::Node back = YAML::Load(to_yaml(Json{{"k", text}}));
      CHECK(back["k"].as<std::string>() == text);
    }
  }

  TEST_CASE("multi-line text is a literal block only when it reads back exactly") {
    CHECK(to_yaml(Json{{"k", "a: 1\nb: 2\n"}}) == "k: |\n  a: 1\n  b: 2\n");
    CHECK(to_yaml(Json{{"k", "a\nb"}}) == "k: \"a\\nb\"\n");
    CHECK(to_yaml(Json{{"k", " a\n"}}).find('|') == std::string::npos);
  }

  TEST_CASE("a key longer than YAML's 1024 characters as written is an explicit key") {
    // fuzz_template found 256 control characters as a key: 1,000 and more as escapes, which a
    // parser refuses as an implicit key ("illegal map value").
    const std::string control_characters(256, '\x1f');
    const std::string long_plain(1100, 'k');
    for (const std::string& key : {control_characters, long_plain}) {
      const std::string yaml = to_yaml(Json{{key, "v"}, {"other", "fixed"}});
      CHECK(yaml.starts_with("? "));
      const YAML::Node back = YAML::Load(yaml);
      CHECK(back[key].as<std::string>() == "v");
      CHECK(back["other"].as<std::string>() == "fixed");
    }
    const std::string annotation(253, 'a');  // the longest a Kubernetes name part may be
    CHECK(to_yaml(Json{{annotation, "v"}}) == annotation + ": v\n");
  }

  TEST_CASE("a stream joins documents with ---") {
    CHECK(cxtm::to_yaml_stream({Json{{"a", 1}}, Json{{"b", 2}}}) == "a: 1\n---\nb: 2\n");
  }
}

}  // namespace test_render_template
