#pragma once
// The -o flag: readable text for people, JSON or YAML documents for machines.

#include <optional>
#include <string>
#include <string_view>

#include "core/json.h"
#include "print/colour.h"

namespace cxtm::print {

enum class Format { text, json, yaml };

// How a command prints: the -o format and, for text, whether in colour.
struct Printing {
  Format format = Format::text;
  Colour colour = Colour::off;
};

// "text", "json", "yaml" → Format; nullopt for anything else.
std::optional<Format> parse_format(std::string_view name);

// A machine-readable document in json (indented) or yaml; text falls back to yaml.
std::string format_document(const Json& document, Format format);

}  // namespace cxtm::print
