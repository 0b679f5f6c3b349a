#include "render/template.h"

#include <fmt/core.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <optional>

#include "core/error.h"
#include "core/yaml_json.h"
#include "render/placeholders.h"

namespace cxtm::render {
namespace {

constexpr std::string_view kCondition = "$if";

class TemplateRenderer {
 public:
  TemplateRenderer(std::string_view name, const Json& values) : name_(name), values_(values) {}

  // The rendered node, or nullopt when an "$if" dropped it.
  std::optional<Json> render(const YAML::Node& node) const {
    switch (node.Type()) {
      case YAML::NodeType::Map:
        return render_map(node);
      case YAML::NodeType::Sequence: {
        Json list = Json::array();
        for (const auto& item : node) {
          if (auto rendered = render(item)) list.push_back(std::move(*rendered));
        }
        return list;
      }
      case YAML::NodeType::Scalar:
        return render_scalar(node);
      default:
        return Json(nullptr);
    }
  }

  [[noreturn]] void fail(const YAML::Mark& mark, std::string_view message) const {
    throw Error(ExitCode::usage, fmt::format("template {}:{}: {}", name_, mark.line + 1, message));
  }

 private:
  std::optional<Json> render_map(const YAML::Node& node) const {
    Json map = Json::object();
    for (const auto& entry : node) {
      const std::string key = interpolate(entry.first.Scalar(), entry.first.Mark());
      if (key == kCondition) {
        if (!is_set(lookup(entry.second.Scalar(), entry.second.Mark()))) return std::nullopt;
        continue;
      }
      if (auto value = render(entry.second)) map[key] = std::move(*value);
    }
    return map;
  }

  Json render_scalar(const YAML::Node& node) const {
    const std::string& text = node.Scalar();
    if (const auto name = whole_placeholder(text)) {
      const Json& value = lookup(*name, node.Mark());
      if (value.is_null()) fail(node.Mark(), fmt::format("missing value for '{}'", *name));
      return value;
    }
    if (text.find("{{") != std::string::npos) return interpolate(text, node.Mark());
    if (node.Tag() != "?") return text;  // quoted in the template: a string
    return resolve_plain_scalar(text);
  }

  // Placeholders inside text take their values' text; lists and mappings cannot.
  std::string interpolate(const std::string& text, const YAML::Mark& mark) const {
    if (text.find("{{") == std::string::npos) return text;  // most keys: no message to build
    return substitute_placeholders(
        text, fmt::format("template {}:{}", name_, mark.line + 1),
        [&](const std::string& name) -> std::string {
          const Json& value = lookup(name, mark);
          if (value.is_string()) return value.get<std::string>();
          if (value.is_number() || value.is_boolean()) return value.dump();
          if (value.is_null()) fail(mark, fmt::format("missing value for '{}'", name));
          fail(mark, fmt::format("'{}' is a list or mapping and cannot be part of text", name));
        });
  }

  const Json& lookup(const std::string& path, const YAML::Mark& mark) const {
    const Json* current = &values_;
    size_t start = 0;
    while (true) {
      const size_t dot = path.find('.', start);
      const std::string part = path.substr(start, dot == std::string::npos ? dot : dot - start);
      if (!current->is_object() || !current->contains(part)) {
        fail(mark, fmt::format("unknown placeholder '{}'", path));
      }
      current = &(*current)[part];
      if (dot == std::string::npos) return *current;
      start = dot + 1;
    }
  }

  static bool is_set(const Json& value) {
    if (value.is_null()) return false;
    if (value.is_boolean()) return value.get<bool>();
    if (value.is_string()) return !value.get_ref<const std::string&>().empty();
    if (value.is_array() || value.is_object()) return !value.empty();
    return true;
  }

  std::string_view name_;
  const Json& values_;
};

}  // namespace

Json render_template(std::string_view text, std::string_view template_name, const Json& values) {
  YAML::Node document;
  try {
    document = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw Error(ExitCode::usage, fmt::format("template {}:{}: invalid YAML: {}", template_name,
                                             e.mark.line + 1, e.msg));
  }
  const TemplateRenderer renderer(template_name, values);
  auto rendered = renderer.render(document);
  return rendered ? std::move(*rendered) : Json(nullptr);
}

}  // namespace cxtm::render
