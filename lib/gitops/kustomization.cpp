#include "gitops/kustomization.h"

#include <fmt/core.h>

#include <optional>
#include <regex>

#include "core/error.h"
#include "core/yaml_json.h"

namespace cxtm::gitops {
namespace {

Json parse_kustomization(std::string_view text, std::string_view file_name) {
  const auto documents = parse_yaml_documents(text, file_name);
  if (documents.empty()) return Json::object();
  if (documents.size() > 1 || !documents.front().is_object()) {
    throw Error(ExitCode::usage,
                fmt::format("{}: not a kustomization (one YAML mapping)", file_name));
  }
  for (const char* key : {"patches", "resources"}) {
    const Json& list = member(documents.front(), key);
    if (!list.is_null() && !list.is_array()) {
      throw Error(ExitCode::usage, fmt::format("{}: {}: not a list", file_name, key));
    }
  }
  return documents.front();
}

// Whether the kustomization lists a patch with this path.
bool lists_patch(const Json& kustomization, std::string_view path) {
  for (const auto& patch : array_member(kustomization, "patches")) {
    if (string_member(patch, "path") == path) return true;
  }
  return false;
}

// The kustomization's patches without the entry of path.
Json without_entry(Json kustomization, std::string_view path) {
  if (!member(kustomization, "patches").is_array()) return kustomization;
  Json kept = Json::array();
  for (const auto& patch : kustomization["patches"]) {
    if (string_member(patch, "path") != path) kept.push_back(patch);
  }
  if (kept.empty()) {
    kustomization.erase("patches");
  } else {
    kustomization["patches"] = std::move(kept);
  }
  return kustomization;
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      lines.emplace_back(text.substr(start));
      break;
    }
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string text_of(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

size_t indent_of(const std::string& line) {
  const size_t first = line.find_first_not_of(' ');
  return first == std::string::npos ? line.size() : first;
}

bool blank_or_comment(const std::string& line) {
  const size_t first = line.find_first_not_of(" \t");
  return first == std::string::npos || line[first] == '#';
}

// Where a top-level list (`patches:`, `resources:`) is in the text.
struct PatchesBlock {
  size_t key_line = 0;
  size_t end = 0;  // one past its last item line
  size_t item_indent = 0;
  bool flow_empty = false;  // `patches: []`
};

std::optional<PatchesBlock> find_list(const std::vector<std::string>& lines, const std::string& key,
                                      std::string_view file_name) {
  const std::regex block_key("^" + key + R"(:\s*(#.*)?$)");
  const std::regex empty_flow("^" + key + R"(:\s*\[\s*\]\s*(#.*)?$)");
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!lines[i].starts_with(key + ":")) continue;
    PatchesBlock block{.key_line = i, .end = i + 1};
    if (std::regex_match(lines[i], empty_flow)) {
      block.flow_empty = true;
      return block;
    }
    if (!std::regex_match(lines[i], block_key)) {
      throw Error(ExitCode::usage,
                  fmt::format("{}:{}: {}: written in flow style; write it as a block list "
                              "(one entry per line) for cxtm-o11y to edit",
                              file_name, i + 1, key));
    }
    bool first_item = true;
    for (size_t j = i + 1; j < lines.size(); ++j) {
      const auto& line = lines[j];
      if (blank_or_comment(line)) continue;
      if (line.front() != ' ' && line.front() != '-') break;
      if (first_item) {
        block.item_indent = indent_of(line);
        first_item = false;
      }
      block.end = j + 1;
    }
    return block;
  }
  return std::nullopt;
}

std::optional<PatchesBlock> find_patches(const std::vector<std::string>& lines,
                                         std::string_view file_name) {
  return find_list(lines, "patches", file_name);
}

std::string regex_escaped(std::string_view text) {
  return std::regex_replace(std::string(text), std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)");
}

bool lists_resource(const Json& kustomization, std::string_view path) {
  for (const auto& resource : array_member(kustomization, "resources")) {
    if (resource.is_string() && resource.get<std::string>() == path) return true;
  }
  return false;
}

std::vector<std::string> entry_lines(const PatchEntry& entry, size_t indent) {
  const std::string pad(indent, ' ');
  return {pad + "- path: " + entry.path,   pad + "  target:",
          pad + "    group: apps",         pad + "    version: v1",
          pad + "    kind: " + entry.kind, pad + "    name: " + entry.name};
}

void require_meaning(std::string_view edited, const Json& expected, std::string_view file_name,
                     std::string_view what) {
  if (!same_json(parse_kustomization(edited, file_name), expected)) {
    throw Error(ExitCode::usage,
                fmt::format("{}: could not {} as text without changing anything else; edit it "
                            "by hand",
                            file_name, what));
  }
}

}  // namespace

Json PatchEntry::to_json() const {
  return {{"path", path},
          {"target", {{"group", "apps"}, {"version", "v1"}, {"kind", kind}, {"name", name}}}};
}

std::string new_kustomization(const std::vector<std::string>& resources) {
  std::string text =
      "apiVersion: kustomize.config.k8s.io/v1beta1\n"
      "kind: Kustomization\n";
  if (resources.empty()) return text + "resources: []\n";
  text += "resources:\n";
  for (const auto& resource : resources) text += "- " + resource + "\n";
  return text;
}

bool has_patch_entry(std::string_view text, std::string_view path, std::string_view file_name) {
  return lists_patch(parse_kustomization(text, file_name), path);
}

std::string with_patch_entry(std::string_view text, const PatchEntry& entry,
                             std::string_view file_name) {
  const Json kustomization = parse_kustomization(text, file_name);
  for (const auto& patch : array_member(kustomization, "patches")) {
    if (same_json(patch, entry.to_json())) return std::string(text);
  }
  const std::string base = without_patch_entry(text, entry.path, file_name);
  Json expected = parse_kustomization(base, file_name);
  if (member(expected, "patches").is_null()) expected["patches"] = Json::array();
  expected["patches"].push_back(entry.to_json());

  auto lines = lines_of(base);
  const auto block = find_patches(lines, file_name);
  if (!block) {
    lines.push_back("patches:");
    for (auto& line : entry_lines(entry, 0)) lines.push_back(std::move(line));
  } else {
    if (block->flow_empty) lines[block->key_line] = "patches:";
    const auto added = entry_lines(entry, block->item_indent);
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(block->end), added.begin(),
                 added.end());
  }
  std::string edited = text_of(lines);
  require_meaning(edited, expected, file_name, "add " + entry.path + " to patches");
  return edited;
}

std::string without_patch_entry(std::string_view text, std::string_view path,
                                std::string_view file_name) {
  const Json before = parse_kustomization(text, file_name);
  if (!lists_patch(before, path)) return std::string(text);
  const Json expected = without_entry(before, path);

  auto lines = lines_of(text);
  const auto block = find_patches(lines, file_name);
  const std::regex item_line("^( *)- path: " + regex_escaped(path) + R"(\s*$)");
  std::smatch match;
  for (size_t i = block ? block->key_line + 1 : lines.size(); block && i < block->end; ++i) {
    if (!std::regex_match(lines[i], match, item_line)) continue;
    const size_t dash = static_cast<size_t>(match[1].length());
    size_t end = i + 1;
    while (end < block->end && !blank_or_comment(lines[end]) && indent_of(lines[end]) > dash) {
      ++end;
    }
    lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(i),
                lines.begin() + static_cast<std::ptrdiff_t>(end));
    if (!expected.contains("patches")) {
      lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(block->key_line));
    }
    break;
  }
  std::string edited = text_of(lines);
  require_meaning(edited, expected, file_name, fmt::format("remove {} from patches", path));
  return edited;
}

bool has_resource_entry(std::string_view text, std::string_view path, std::string_view file_name) {
  return lists_resource(parse_kustomization(text, file_name), path);
}

std::string with_resource_entry(std::string_view text, std::string_view path,
                                std::string_view file_name) {
  Json expected = parse_kustomization(text, file_name);
  if (lists_resource(expected, path)) return std::string(text);
  if (member(expected, "resources").is_null()) expected["resources"] = Json::array();
  expected["resources"].push_back(path);
  auto lines = lines_of(text);
  const auto block = find_list(lines, "resources", file_name);
  if (!block) {
    lines.push_back("resources:");
    lines.push_back("- " + std::string(path));
  } else {
    if (block->flow_empty) lines[block->key_line] = "resources:";
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(block->end),
                 std::string(block->item_indent, ' ') + "- " + std::string(path));
  }
  std::string edited = text_of(lines);
  require_meaning(edited, expected, file_name, fmt::format("add {} to resources", path));
  return edited;
}

std::string without_resource_entry(std::string_view text, std::string_view path,
                                   std::string_view file_name) {
  Json expected = parse_kustomization(text, file_name);
  if (!lists_resource(expected, path)) return std::string(text);
  Json kept = Json::array();
  for (const auto& resource : expected["resources"]) {
    if (!(resource.is_string() && resource.get<std::string>() == path)) kept.push_back(resource);
  }
  expected["resources"] = kept;
  auto lines = lines_of(text);
  const auto block = find_list(lines, "resources", file_name);
  const std::regex item_line("^ *- " + regex_escaped(path) + R"(\s*$)");
  for (size_t i = block ? block->key_line + 1 : lines.size(); block && i < block->end; ++i) {
    if (!std::regex_match(lines[i], item_line)) continue;
    lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(i));
    // The list stays, empty, as `resources: []` (what a new kustomization of the tool says).
    if (kept.empty()) lines[block->key_line] = "resources: []";
    break;
  }
  std::string edited = text_of(lines);
  require_meaning(edited, expected, file_name, fmt::format("remove {} from resources", path));
  return edited;
}

}  // namespace cxtm::gitops
