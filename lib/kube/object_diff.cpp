#include "kube/object_diff.h"

#include <dtl/dtl.hpp>
#include <sstream>
#include <vector>

#include "core/yaml_emit.h"

namespace cxtm::kube {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

Json comparable(const Json& object) {
  Json copy = object;
  copy.erase("status");
  if (copy.contains("metadata") && copy["metadata"].is_object()) {
    Json& metadata = copy["metadata"];
    for (const char* key : {"uid", "resourceVersion", "generation", "creationTimestamp",
                            "managedFields", "selfLink"}) {
      metadata.erase(key);
    }
    if (metadata.contains("annotations") && metadata["annotations"].is_object()) {
      metadata["annotations"].erase("kubectl.kubernetes.io/last-applied-configuration");
      if (metadata["annotations"].empty()) metadata.erase("annotations");
    }
  }
  if (copy.value("kind", "") == "Secret") {
    for (const char* section : {"data", "stringData"}) {
      if (!copy.contains(section) || !copy[section].is_object()) continue;
      for (auto& [key, value] : copy[section].items()) value = "***";
    }
  }
  return copy;
}

std::string unified_diff(const std::string& before_name, const std::string& after_name,
                         const std::string& before, const std::string& after) {
  if (before == after) return "";
  const auto a = lines_of(before);
  const auto b = lines_of(after);
  dtl::Diff<std::string> diff(a, b);
  diff.compose();
  diff.composeUnifiedHunks();
  std::ostringstream out;
  out << "--- " << before_name << "\n+++ " << after_name << "\n";
  diff.printUnifiedFormat(out);
  return out.str();
}

std::string object_diff(const std::string& name, const std::optional<Json>& before,
                        const std::optional<Json>& after) {
  std::optional<Json> shown_before = before ? std::optional(comparable(*before)) : std::nullopt;
  std::optional<Json> shown_after = after ? std::optional(comparable(*after)) : std::nullopt;
  // Masked Secret values that differ are told apart, as kubectl diff does.
  if (before && after && before->value("kind", "") == "Secret" && before->contains("data") &&
      after->contains("data")) {
    for (const auto& [key, value] : (*after)["data"].items()) {
      if ((*before)["data"].contains(key) && (*before)["data"][key] != value) {
        (*shown_before)["data"][key] = "*** (before)";
        (*shown_after)["data"][key] = "*** (after)";
      }
    }
  }
  return unified_diff(
      before ? "live/" + name : "/dev/null", after ? "proposed/" + name : "/dev/null",
      shown_before ? to_yaml(*shown_before) : "", shown_after ? to_yaml(*shown_after) : "");
}

}  // namespace cxtm::kube
