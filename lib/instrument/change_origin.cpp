#include "instrument/change_origin.h"

#include <array>
#include <string_view>
#include <utility>

#include "instrument/transform.h"

namespace cxtm::instrument {
namespace {

// Field managers by the tool they belong to; anything else is named as it is.
constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kWriters = {{
    {"argocd-controller", "Argo CD"},
    {"argocd-application-controller", "Argo CD"},
    {"argocd-server", "Argo CD"},
    {"kustomize-controller", "Flux"},
    {"helm-controller", "Flux"},
    {"kubectl-client-side-apply", "kubectl apply"},
    {"kubectl", "kubectl apply"},
}};

// The tool's own writes: cxtm-o11y, and kubectl's default for a replace (the tool's writes
// before it named itself).
bool is_tool(std::string_view manager) {
  return manager == "cxtm-o11y" || manager == "kubectl-replace";
}

std::string writer_name(std::string_view manager) {
  for (const auto& [name, writer] : kWriters) {
    if (name == manager) return std::string(writer);
  }
  return std::string(manager);
}

bool owns_spec_hash(const Json& entry) {
  const Json& fields = member(entry, "fieldsV1");
  const Json& annotations = member(member(fields, "f:metadata"), "f:annotations");
  return annotations.is_object() && annotations.contains("f:" + std::string(kAnnotationSpecHash));
}

}  // namespace

ChangeOrigin change_origin(const Json& deployment, const Json& managed_fields) {
  if (!managed_fields.is_array()) return {};
  for (const auto& entry : managed_fields) {
    const std::string manager = string_member(entry, "manager");
    if (!owns_spec_hash(entry) || is_tool(manager)) continue;
    std::string writer = writer_name(manager);
    // kubectl run by a controller (Argo CD's client-side apply) says so in its marks.
    if (writer == "kubectl apply") {
      if (auto controller = gitops_controller(deployment); !controller.empty()) {
        writer = std::move(controller);
      }
    }
    return {.via = ChangeVia::git, .writer = std::move(writer)};
  }
  return {};
}

std::string gitops_controller(const Json& deployment) {
  const Json& metadata = object_member(deployment, "metadata");
  const Json& annotations = object_member(metadata, "annotations");
  const Json& labels = object_member(metadata, "labels");
  if (annotations.contains("argocd.argoproj.io/tracking-id") ||
      labels.contains("argocd.argoproj.io/instance")) {
    return "Argo CD";
  }
  if (labels.contains("kustomize.toolkit.fluxcd.io/name") ||
      labels.contains("helm.toolkit.fluxcd.io/name")) {
    return "Flux";
  }
  return "";
}

}  // namespace cxtm::instrument
