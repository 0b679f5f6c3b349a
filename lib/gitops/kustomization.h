#pragma once
// The tool's entries in a kustomization's `patches:` (and `resources:`) lists, edited as text so
// that the team's comments, order and layout stay as they wrote them (a YAML library would re-emit
// the whole file). Every edit is checked by parsing before and after: the file must mean what it
// meant, plus or minus exactly the one entry; otherwise the edit is refused with what to do by
// hand.

#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace cxtm::gitops {

// The names kustomize looks for in a directory, in its order.
inline constexpr std::string_view kKustomizationNames[] = {"kustomization.yaml",
                                                           "kustomization.yml", "Kustomization"};

// One `patches:` entry: the patch file (relative to the kustomization) and its target.
struct PatchEntry {
  std::string path;  // "cxtm-o11y/scheduler.yaml"
  std::string kind;  // "Deployment"
  std::string name;  // "cxtm-scheduler"

  Json to_json() const;  // {"path": ..., "target": {"group", "version", "kind", "name"}}
};

// A new kustomization with these resources and no patches yet.
std::string new_kustomization(const std::vector<std::string>& resources);

// Whether the kustomization text lists a patch with this path. Throws Error(usage) naming
// file_name when the text is not a kustomization.
bool has_patch_entry(std::string_view text, std::string_view path, std::string_view file_name);

// text with entry at the end of `patches:` (which it adds when absent); an entry with the same
// path is replaced (text as it is when it is the same entry). Throws Error(usage) naming file_name
// when the list is not one it can edit as text (flow style) or the result would not parse as text
// plus the entry.
std::string with_patch_entry(std::string_view text, const PatchEntry& entry,
                             std::string_view file_name);

// text without the entry whose path is `path` (and without `patches:` when that was the last
// entry); text itself when there is none. Throws Error(usage) as with_patch_entry does.
std::string without_patch_entry(std::string_view text, std::string_view path,
                                std::string_view file_name);

// The same for an entry of `resources:` (the tool's Instrumentation file): whether it is there,
// the text with it at the end of the list (added when absent), the text without it (an emptied
// list stays as `resources: []`). Throws Error(usage) as the patch entries' edits do.
bool has_resource_entry(std::string_view text, std::string_view path, std::string_view file_name);
std::string with_resource_entry(std::string_view text, std::string_view path,
                                std::string_view file_name);
std::string without_resource_entry(std::string_view text, std::string_view path,
                                   std::string_view file_name);

}  // namespace cxtm::gitops
