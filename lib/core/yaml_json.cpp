#include "core/yaml_json.h"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <regex>

#include "core/error.h"
#include "core/one_line.h"
#include "core/utf8.h"
#include "core/yaml_bounds.h"
#include "core/yaml_syntax.h"

namespace cxtm {

Json resolve_plain_scalar(const std::string& text) {
  if (text == "true") return true;
  if (text == "false") return false;
  if (text == "null" || text == "~" || text.empty()) return nullptr;
  static const std::regex integer(R"(^[-+]?[0-9]+$)");
  static const std::regex real(R"(^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$)");
  if (std::regex_match(text, integer)) {
    long long number = 0;
    const char* begin = text.data() + (text.front() == '+' ? 1 : 0);
    const auto [end, error] = std::from_chars(begin, text.data() + text.size(), number);
    if (error == std::errc() && end == text.data() + text.size()) return number;
    return text;  // out of range: keep the text rather than guess
  }
  if (std::regex_match(text, real)) return std::strtod(text.c_str(), nullptr);
  return text;
}

Json yaml_to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      Json object = Json::object();
      for (const auto& entry : node) {
        object[entry.first.as<std::string>()] = yaml_to_json(entry.second);
      }
      return object;
    }
    case YAML::NodeType::Sequence: {
      Json array = Json::array();
      for (const auto& element : node) array.push_back(yaml_to_json(element));
      return array;
    }
    case YAML::NodeType::Scalar:
      // "?" marks a plain scalar; "!" a quoted one, which is always a string.
      if (node.Tag() != "?") return node.Scalar();
      return resolve_plain_scalar(node.Scalar());
    default:
      return nullptr;
  }
}

void require_yaml_text(std::string_view text, std::string_view file_name) {
  if (const auto bad = first_invalid_utf8(text)) {
    const auto before = text.substr(0, *bad);
    const auto line = 1 + std::count(before.begin(), before.end(), '\n');
    const auto line_start = before.rfind('\n');
    const auto column = *bad - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
    throw Error(ExitCode::usage, fmt::format("{}:{}:{}: not UTF-8 text", file_name, line, column));
  }
  if (const auto error = check_yaml_text(text)) {
    throw Error(
        ExitCode::usage,
        fmt::format("{}:{}:{}: {}{}", file_name, error->line, error->column,
                    error->over_limit ? "the YAML " : "invalid YAML: ", one_line(error->problem)));
  }
}

std::vector<Json> parse_yaml_documents(std::string_view text, std::string_view file_name) {
  require_yaml_text(text, file_name);
  std::vector<YAML::Node> nodes;
  try {
    nodes = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    throw Error(ExitCode::usage, fmt::format("{}:{}:{}: invalid YAML: {}", file_name,
                                             e.mark.line + 1, e.mark.column + 1, one_line(e.msg)));
  }
  std::vector<Json> documents;
  for (const auto& node : nodes) {
    if (const auto problem = yaml_bounds_problem(node)) {
      throw Error(ExitCode::usage, fmt::format("{}: the YAML {}", file_name, *problem));
    }
    if (!node.IsNull()) documents.push_back(yaml_to_json(node));
  }
  return documents;
}

}  // namespace cxtm
