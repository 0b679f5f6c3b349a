#include "core/yaml_emit.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "core/error.h"
#include "core/one_line.h"
#include "core/text.h"
#include "core/utf8.h"

namespace cxtm {
namespace {

bool is_resolved_as_non_string(const std::string& text) {
  // YAML 1.1 and 1.2 both apply: kubectl (sigs.k8s.io/yaml) reads 1.1 booleans like "on".
  static const std::array<std::string_view, 12> keywords = {
      "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~", "=", "<<"};
  const std::string lower = to_lower(text);
  if (std::find(keywords.begin(), keywords.end(), lower) != keywords.end()) return true;
  // Anything that starts like a number, date or special float is quoted: cheap and safe.
  const unsigned char first = static_cast<unsigned char>(text.front());
  return std::isdigit(first) || first == '-' || first == '+' || first == '.';
}

// A literal block reads back exactly when the text ends in one newline, has no leading blank
// on its first line, and no characters that need escapes.
bool fits_literal_block(const std::string& text) {
  if (text.size() < 2 || text.back() != '\n' || text[text.size() - 2] == '\n') return false;
  if (text.front() == ' ' || text.front() == '\n') return false;
  return std::none_of(text.begin(), text.end(),
                      [](unsigned char c) { return (c < 0x20 && c != '\n') || c == 0x7f; });
}

// Line breaks and other control characters survive only as escapes: a parser folds a raw CR or
// LF in a plain or single-quoted scalar (found by fuzz_template: "x\r\r" read back as "x").
bool has_control_character(const std::string& text) {
  return std::any_of(text.begin(), text.end(),
                     [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

void emit(YAML::Emitter& out, const Json& value);

// YAML allows an implicit key ("key: value") of 1024 characters at most, as written (escapes
// included); a longer one must be written explicitly ("? key" then ": value"), or parsers
// (kubectl's among them) refuse the document.
bool needs_explicit_key(const std::string& key) {
  constexpr size_t kImplicitKeyLimit = 1024;
  constexpr size_t kLongestEscape = 6;  // "\uXXXX" for one byte
  if (key.size() * kLongestEscape + 2 <= kImplicitKeyLimit) return false;
  YAML::Emitter alone;
  emit(alone, Json(key));
  return alone.size() > kImplicitKeyLimit;
}

void emit(YAML::Emitter& out, const Json& value) {
  switch (value.type()) {
    case Json::value_t::object:
      if (value.empty()) out << YAML::Flow;  // `emptyDir: {}` rather than `{}` on a line of its own
      out << YAML::BeginMap;
      for (const auto& [key, item] : value.items()) {
        out << YAML::Key;
        if (needs_explicit_key(key)) out << YAML::LongKey;
        emit(out, Json(key));
        out << YAML::Value;
        emit(out, item);
      }
      out << YAML::EndMap;
      break;
    case Json::value_t::array:
      if (value.empty()) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const auto& item : value) emit(out, item);
      out << YAML::EndSeq;
      break;
    case Json::value_t::string: {
      const auto& text = value.get_ref<const std::string&>();
      if (first_invalid_utf8(text)) {
        throw Error(ExitCode::usage,
                    fmt::format("cannot write '{}' as YAML: not UTF-8 text", one_line(text, 60)));
      }
      if (text.find('\n') != std::string::npos && fits_literal_block(text)) {
        out << YAML::Literal << text;
      } else if (text.empty() || is_resolved_as_non_string(text) || has_control_character(text)) {
        out << YAML::DoubleQuoted << text;
      } else {
        out << text;  // yaml-cpp quotes what its own rules need (": ", "#", leading "-", ...)
      }
      break;
    }
    case Json::value_t::boolean:
      out << value.get<bool>();
      break;
    case Json::value_t::null:
      out << YAML::Null;
      break;
    default:  // numbers keep their JSON text
      out << value.dump();
      break;
  }
}

}  // namespace

std::string to_yaml(const Json& value) {
  YAML::Emitter out;
  out.SetIndent(2);
  out.SetSeqFormat(YAML::Block);
  out.SetBoolFormat(YAML::TrueFalseBool);
  out.SetBoolFormat(YAML::LowerCase);
  emit(out, value);
  if (!out.good()) throw Error(ExitCode::failed, "cannot write YAML: " + out.GetLastError());
  std::string text = out.c_str();
  if (text.empty() || text.back() != '\n') text += '\n';
  return text;
}

std::string to_yaml_stream(const std::vector<Json>& documents) {
  std::string stream;
  for (size_t i = 0; i < documents.size(); ++i) {
    if (i > 0) stream += "---\n";
    stream += to_yaml(documents[i]);
  }
  return stream;
}

}  // namespace cxtm
