#pragma once
// YAML read as the JSON it stands for, the way kubectl reads a manifest: quoted scalars stay
// strings, plain ones resolve by the YAML 1.2 core schema (true/false, null/~, integers,
// floats), everything else is text. Untrusted text is checked first (core/yaml_syntax.h,
// core/yaml_bounds.h), so a hostile file costs an error line, not a hang.

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace cxtm {

// A plain (unquoted) scalar's value by the core schema; empty is null.
Json resolve_plain_scalar(const std::string& text);

// A parsed node as JSON: maps keyed by their keys' text, quoted scalars as strings.
Json yaml_to_json(const YAML::Node& node);

// Throws Error(usage) "file:line:column: problem" when text is not UTF-8, not YAML, or past the
// syntax limits; returns nothing otherwise.
void require_yaml_text(std::string_view text, std::string_view file_name);

// Every document of a YAML stream (a manifest file, `kubectl kustomize` output), empty ones
// left out. Throws Error(usage) naming the file for text that is not YAML or past the limits.
std::vector<Json> parse_yaml_documents(std::string_view text, std::string_view file_name);

}  // namespace cxtm
