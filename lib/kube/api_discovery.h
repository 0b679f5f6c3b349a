#pragma once
// Where an object or a collection lives in the API server's REST paths, found as kubectl finds
// it: from discovery (/api/v1, /apis, /apis/<group>/<version>), which every authenticated user
// may read. A resource the server does not serve has no path: the caller leaves it to kubectl,
// whose error says so in its own words.

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/json.h"

namespace cxtm::kube {

// One resource as discovery lists it.
struct ApiResource {
  std::string group_version;  // "v1", "apps/v1"
  std::string name;           // plural: "deployments"
  std::string kind;           // "Deployment"
  bool namespaced = true;
};

// Pure: the entry of an APIResourceList whose kind (or, by_name, whose plural name) matches;
// subresources ("deployments/scale") are never matched.
std::optional<ApiResource> resource_of_kind(const Json& resource_list, std::string_view kind);
std::optional<ApiResource> resource_named(const Json& resource_list, std::string_view name);
// Pure: "apps/v1" for group "apps" in an APIGroupList (its preferred version).
std::optional<std::string> preferred_group_version(const Json& group_list, std::string_view group);
// Pure: "/api/v1" for "v1", "/apis/apps/v1" for "apps/v1".
std::string group_version_path(std::string_view group_version);
// Pure: the collection's path in namespace_ ("" for a cluster-scoped resource), and one object's.
std::string collection_path(const ApiResource& resource, std::string_view namespace_);
std::string object_path(const ApiResource& resource, std::string_view namespace_,
                        std::string_view name);

// Discovery documents asked for once per run and kept; safe to use from any thread.
class ApiDiscovery {
 public:
  // fetch: the document at a discovery path, nullopt when the server has none (404); it
  // throws KubeError for any other failure.
  using Fetch = std::function<std::optional<Json>(const std::string& path)>;
  explicit ApiDiscovery(Fetch fetch) : fetch_(std::move(fetch)) {}

  // The resource of kind in group_version ("apps/v1", "Deployment"); nullopt when not served.
  std::optional<ApiResource> by_kind(const std::string& group_version, std::string_view kind);
  // The resource named as kubectl takes it, "pods" or "daemonsets.apps" (plural.group), in the
  // group's preferred version; nullopt when not served.
  std::optional<ApiResource> by_name(std::string_view resource);

 private:
  // The document at path, fetched on first use; nullopt when the server has none.
  std::optional<Json> document(const std::string& path);

  Fetch fetch_;
  std::mutex mutex_;
  std::map<std::string, Json> documents_;  // by path
};

}  // namespace cxtm::kube
