#pragma once
// A YAML node together with where it is (file, line, field path), so every config error can say
// "cxtm-o11y.yaml:12:5: collector.ports.otlp_http: expected a port number, got 'abc'".

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

namespace cxtm::config {

class YamlField {
 public:
  YamlField(YAML::Node node, std::string file, std::string path, YAML::Mark mark);

  // The root of a parsed document.
  static YamlField root(const YAML::Node& node, std::string file);

  bool present() const { return node_.IsDefined() && !node_.IsNull(); }
  const std::string& path() const { return path_; }
  const YAML::Node& node() const { return node_; }

  // "file:line:column: path" — the prefix of every message about this field.
  std::string where() const;

  // Throws Error(usage) with where() and the message.
  [[noreturn]] void fail(std::string_view message) const;

  // Requires a mapping whose keys are all in `allowed`; an unknown key fails at that key's line,
  // suggesting the closest allowed key.
  void expect_map(const std::vector<std::string_view>& allowed) const;
  // Requires a mapping with any keys; returns them in file order.
  std::vector<std::string> keys() const;
  // The field under key (absent fields keep this field's position for messages).
  YamlField operator[](std::string_view key) const;

  std::string as_string() const;  // any scalar
  long long as_integer(long long min, long long max) const;
  bool as_bool() const;
  std::vector<std::string> as_string_list() const;
  // The items of a list, each named "path[i]" in messages.
  std::vector<YamlField> elements() const;

  // Assign when present; absent leaves the target (the default) alone.
  void read(std::string& target) const;
  void read(bool& target) const;
  void read(int& target, int min, int max) const;
  void read(std::vector<std::string>& target) const;

 private:
  YAML::Node node_;
  std::string file_;
  std::string path_;
  YAML::Mark mark_;
};

}  // namespace cxtm::config
