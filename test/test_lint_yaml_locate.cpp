#include <doctest/doctest.h>

#include <string>

#include "lint/yaml_locate.h"

namespace test_lint_yaml_locate {

using cxtm::lint::Locator;
using cxtm::lint::Position;

namespace {

// The data entry `key` of the mapping in text, and the locator for its value.
struct Block {
  YAML::Node document;
  Locator locator;
  YAML::Node inner;
};
Block block(const std::string& text, const std::string& key) {
  Block result{.document = YAML::Load(text)};
  for (const auto& entry : result.document) {
    if (entry.first.Scalar() == key) {
      result.locator = Locator::inside_scalar(text, entry.first, entry.second);
      result.inner = YAML::Load(entry.second.Scalar());
    }
  }
  REQUIRE(result.inner.IsDefined());
  return result;
}

// Where the key `name` of the inner mapping lands in the file.
Position position_of(const Block& b, const std::string& name) {
  for (const auto& entry : b.inner) {
    if (entry.first.Scalar() == name) return b.locator.at(entry.first.Mark());
  }
  FAIL("no key " << name);
  return {};
}

}  // namespace

TEST_SUITE("lint/yaml_locate") {
  TEST_CASE("marks of the file itself become 1-based lines and columns") {
    const YAML::Node node = YAML::Load("a: 1\nbb:\n  c: 2\n");
    CHECK(Locator().at(node["bb"]["c"].Mark()).line == 3);
    CHECK(Locator().at(node["bb"]["c"].Mark()).column == 6);  // the value "2"
    CHECK(Locator().at(YAML::Mark::null_mark()).line == 1);
  }

  TEST_CASE("inside a literal block, lines and columns are the file's") {
    const std::string text = "kind: ConfigMap\nrelay: |\n  first: 1\n\n  second:\n    third: 3\n";
    const Block b = block(text, "relay");
    CHECK(position_of(b, "first").line == 3);
    CHECK(position_of(b, "first").column == 3);
    CHECK(position_of(b, "second").line == 5);  // the blank line inside the block counts
  }

  TEST_CASE("chomping and explicit indentation indicators are read from the header") {
    const std::string keep = "x: 1\nrelay: |+ # a comment\n    first: 1\n    second: 2\n";
    CHECK(position_of(block(keep, "relay"), "second").line == 4);
    CHECK(position_of(block(keep, "relay"), "second").column == 5);

    // `|1` puts the block one column in from the parent; the extra space belongs to the text.
    const std::string explicit_indent = "relay: |1\n  first: 1\n  second: 2\n";
    CHECK(position_of(block(explicit_indent, "relay"), "second").line == 3);
    CHECK(position_of(block(explicit_indent, "relay"), "second").column == 3);
  }

  TEST_CASE("folded and quoted strings map to where the value starts") {
    const std::string folded = "a: 1\nrelay: >\n  first: 1\n\n  second: 2\n";
    CHECK(position_of(block(folded, "relay"), "second").line == 2);
    const std::string quoted = "a: 1\nb: 2\nrelay: \"first: 1\\nsecond: 2\\n\"\n";
    CHECK(position_of(block(quoted, "relay"), "second").line == 3);
    CHECK(position_of(block(quoted, "relay"), "second").column == 8);
  }
}

}  // namespace test_lint_yaml_locate
