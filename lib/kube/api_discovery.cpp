#include "kube/api_discovery.h"

#include <fmt/core.h>

#include "net/url.h"

namespace cxtm::kube {
namespace {

std::optional<ApiResource> find_resource(const Json& resource_list, std::string_view field,
                                         std::string_view wanted) {
  for (const Json& entry : array_member(resource_list, "resources")) {
    const std::string name = string_member(entry, "name");
    if (name.find('/') != std::string::npos || string_member(entry, field) != wanted) continue;
    return ApiResource{.group_version = string_member(resource_list, "groupVersion"),
                       .name = name,
                       .kind = string_member(entry, "kind"),
                       .namespaced = entry.value("namespaced", true)};
  }
  return std::nullopt;
}

}  // namespace

std::optional<ApiResource> resource_of_kind(const Json& resource_list, std::string_view kind) {
  return find_resource(resource_list, "kind", kind);
}

std::optional<ApiResource> resource_named(const Json& resource_list, std::string_view name) {
  return find_resource(resource_list, "name", name);
}

std::optional<std::string> preferred_group_version(const Json& group_list, std::string_view group) {
  for (const Json& entry : array_member(group_list, "groups")) {
    if (string_member(entry, "name") != group) continue;
    std::string preferred = string_member(object_member(entry, "preferredVersion"), "groupVersion");
    if (!preferred.empty()) return preferred;
    const Json& versions = array_member(entry, "versions");
    if (!versions.empty()) return string_member(versions.front(), "groupVersion");
  }
  return std::nullopt;
}

std::string group_version_path(std::string_view group_version) {
  return group_version.find('/') == std::string_view::npos ? fmt::format("/api/{}", group_version)
                                                           : fmt::format("/apis/{}", group_version);
}

std::string collection_path(const ApiResource& resource, std::string_view namespace_) {
  const std::string base = group_version_path(resource.group_version);
  if (!resource.namespaced || namespace_.empty()) return fmt::format("{}/{}", base, resource.name);
  return fmt::format("{}/namespaces/{}/{}", base, net::url_encoded(namespace_), resource.name);
}

std::string object_path(const ApiResource& resource, std::string_view namespace_,
                        std::string_view name) {
  return fmt::format("{}/{}", collection_path(resource, namespace_), net::url_encoded(name));
}

std::optional<Json> ApiDiscovery::document(const std::string& path) {
  std::lock_guard lock(mutex_);
  if (const auto found = documents_.find(path); found != documents_.end()) return found->second;
  // One the server has not (yet: a definition installed later in the run) is asked again.
  auto fetched = fetch_(path);
  if (fetched) documents_.emplace(path, *fetched);
  return fetched;
}

std::optional<ApiResource> ApiDiscovery::by_kind(const std::string& group_version,
                                                 std::string_view kind) {
  const auto list = document(group_version_path(group_version));
  return list ? resource_of_kind(*list, kind) : std::nullopt;
}

std::optional<ApiResource> ApiDiscovery::by_name(std::string_view resource) {
  const auto dot = resource.find('.');
  const std::string_view name = resource.substr(0, dot);
  std::string group_version = "v1";
  if (dot != std::string_view::npos) {
    const auto groups = document("/apis");
    const auto preferred =
        groups ? preferred_group_version(*groups, resource.substr(dot + 1)) : std::nullopt;
    if (!preferred) return std::nullopt;
    group_version = *preferred;
  }
  const auto list = document(group_version_path(group_version));
  return list ? resource_named(*list, name) : std::nullopt;
}

}  // namespace cxtm::kube
