#include "config/yaml_field.h"

#include <fmt/core.h>

#include <algorithm>
#include <unordered_set>

#include "core/error.h"
#include "core/one_line.h"

namespace cxtm::config {
namespace {

// Levenshtein distance, for "did you mean" on unknown keys.
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string describe(const YAML::Node& node) {
  if (node.IsScalar()) return fmt::format("'{}'", node.Scalar());
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  return "nothing";
}

}  // namespace

YamlField::YamlField(YAML::Node node, std::string file, std::string path, YAML::Mark mark)
    : node_(std::move(node)), file_(std::move(file)), path_(std::move(path)), mark_(mark) {}

YamlField YamlField::root(const YAML::Node& node, std::string file) {
  return YamlField(node, std::move(file), "", node.Mark());
}

std::string YamlField::where() const {
  const std::string position =
      mark_.is_null() ? file_ : fmt::format("{}:{}:{}", file_, mark_.line + 1, mark_.column + 1);
  return path_.empty() ? position : fmt::format("{}: {}", position, path_);
}

void YamlField::fail(std::string_view message) const {
  throw Error(ExitCode::usage, one_line(fmt::format("{}: {}", where(), message)));
}

void YamlField::expect_map(const std::vector<std::string_view>& allowed) const {
  for (const std::string& key : keys()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string_view closest;
    size_t best = 3;  // only suggest near misses
    for (std::string_view candidate : allowed) {
      const size_t distance = edit_distance(key, candidate);
      if (distance < best) {
        best = distance;
        closest = candidate;
      }
    }
    const YamlField field = (*this)[key];
    field.fail(closest.empty() ? std::string("unknown field")
                               : fmt::format("unknown field (did you mean '{}'?)", closest));
  }
}

std::vector<std::string> YamlField::keys() const {
  if (!present()) return {};
  if (!node_.IsMap()) fail(fmt::format("expected a mapping, got {}", describe(node_)));
  std::vector<std::string> result;
  std::unordered_set<std::string_view> seen;  // views into the nodes, which outlive the loop
  for (const auto& entry : node_) {
    if (!entry.first.IsScalar()) {
      YamlField(entry.first, file_, path_, entry.first.Mark()).fail("keys must be plain names");
    }
    if (!seen.insert(entry.first.Scalar()).second) {
      // yaml-cpp keeps one of the two silently; a config must not mean something else.
      YamlField((*this)[entry.first.Scalar()].node_, file_,
                path_.empty() ? entry.first.Scalar() : path_ + "." + entry.first.Scalar(),
                entry.first.Mark())
          .fail("duplicate field");
    }
    result.push_back(entry.first.Scalar());
  }
  return result;
}

YamlField YamlField::operator[](std::string_view key) const {
  const std::string child_path =
      path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
  if (present() && node_.IsMap()) {
    for (const auto& entry : node_) {
      if (entry.first.IsScalar() && entry.first.Scalar() == key) {
        // Point at the key: a null value has no useful mark of its own.
        return YamlField(entry.second, file_, child_path, entry.first.Mark());
      }
    }
  }
  return YamlField(YAML::Node(YAML::NodeType::Undefined), file_, child_path, mark_);
}

std::string YamlField::as_string() const {
  if (!node_.IsScalar()) fail(fmt::format("expected a string, got {}", describe(node_)));
  return node_.Scalar();
}

long long YamlField::as_integer(long long min, long long max) const {
  long long value = 0;
  if (!node_.IsScalar() || !YAML::convert<long long>::decode(node_, value) || value < min ||
      value > max) {
    fail(fmt::format("expected a whole number from {} to {}, got {}", min, max, describe(node_)));
  }
  return value;
}

bool YamlField::as_bool() const {
  bool value = false;
  if (!node_.IsScalar() || !YAML::convert<bool>::decode(node_, value)) {
    fail(fmt::format("expected true or false, got {}", describe(node_)));
  }
  return value;
}

std::vector<YamlField> YamlField::elements() const {
  if (!node_.IsSequence()) fail(fmt::format("expected a list, got {}", describe(node_)));
  std::vector<YamlField> result;
  for (size_t i = 0; i < node_.size(); ++i) {
    result.emplace_back(node_[i], file_, fmt::format("{}[{}]", path_, i), node_[i].Mark());
  }
  return result;
}

std::vector<std::string> YamlField::as_string_list() const {
  std::vector<std::string> result;
  for (const YamlField& item : elements()) result.push_back(item.as_string());
  return result;
}

void YamlField::read(std::string& target) const {
  if (present()) target = as_string();
}

void YamlField::read(bool& target) const {
  if (present()) target = as_bool();
}

void YamlField::read(int& target, int min, int max) const {
  if (present()) target = static_cast<int>(as_integer(min, max));
}

void YamlField::read(std::vector<std::string>& target) const {
  if (present()) target = as_string_list();
}

}  // namespace cxtm::config
