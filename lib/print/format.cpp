#include "print/format.h"

#include "core/yaml_emit.h"

namespace cxtm::print {

std::optional<Format> parse_format(std::string_view name) {
  if (name == "text") return Format::text;
  if (name == "json") return Format::json;
  if (name == "yaml") return Format::yaml;
  return std::nullopt;
}

std::string format_document(const Json& document, Format format) {
  if (format == Format::json) return document.dump(2) + "\n";
  return to_yaml(document);
}

}  // namespace cxtm::print
