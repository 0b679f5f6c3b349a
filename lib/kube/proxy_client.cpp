#include "kube/proxy_client.h"

#include <fmt/core.h>

#include <algorithm>

#include "net/url.h"

namespace cxtm::kube {
namespace {

constexpr std::string_view kReviewsPath = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
constexpr const char* kJsonType = "application/json";
// Server-side apply's patch type; JSON is YAML, so the object goes as JSON, as kubectl sends it.
constexpr const char* kApplyPatchType = "application/apply-patch+yaml";

// A query as kubectl sends it: Go's url.Values encodes its keys in sorted order.
std::string query_of(std::vector<std::pair<std::string, std::string>> query) {
  std::sort(query.begin(), query.end());
  return net::query_string(query);
}

bool succeeded(const net::HttpResponse& response) {
  return response.status >= 200 && response.status < 300;
}

// The JSON of a 2xx answer. One that is not JSON is a lost answer: a read may simply be asked
// again, a write may have been done (unknown).
Json parse_answer(std::string_view action, const net::HttpResponse& response,
                  FailureKind garbled = FailureKind::transient) {
  Json answer = Json::parse(response.body, nullptr, false);
  if (answer.is_discarded()) {
    throw KubeError(ExitCode::kubectl, fmt::format("kubectl {}: the answer is not JSON", action),
                    garbled);
  }
  return answer;
}

// An object as `kubectl get -o json` prints it: its keys sorted, without managedFields (left
// out since kubectl 1.21).
Json as_printed(Json object) {
  if (object.contains("metadata") && object["metadata"].is_object()) {
    object["metadata"].erase("managedFields");
  }
  return keys_sorted(object);
}

std::string pod_log_path(std::string_view namespace_, std::string_view pod) {
  return fmt::format("/api/v1/namespaces/{}/pods/{}/log", net::url_encoded(namespace_),
                     net::url_encoded(pod));
}

}  // namespace

ProxyClient::ProxyClient(std::unique_ptr<KubectlClient> inner, std::shared_ptr<SharedProxy> proxy,
                         KubectlOptions options)
    : inner_(std::move(inner)),
      http_(std::move(proxy), std::move(options)),
      discovery_([this](const std::string& path) -> std::optional<Json> {
        const auto response = http_.send("GET", path);
        if (response.status == 404) return std::nullopt;
        if (!succeeded(response)) throw http_failure("get " + path, response);
        return parse_answer("get " + path, response);
      }) {}

std::optional<std::string> ProxyClient::path_of(const ObjectRef& ref) {
  if (!http_.available()) return std::nullopt;
  const auto resource = discovery_.by_kind(ref.api_version, ref.kind);
  if (!resource || (resource->namespaced && ref.namespace_.empty())) return std::nullopt;
  return object_path(*resource, ref.namespace_, ref.name);
}

std::optional<std::pair<ApiResource, std::string>> ProxyClient::collection_of(
    std::string_view resource, std::string_view namespace_) {
  if (!http_.available()) return std::nullopt;
  auto found = discovery_.by_name(resource);
  if (!found || (found->namespaced && namespace_.empty())) return std::nullopt;
  std::string path = collection_path(*found, namespace_);
  return std::pair{std::move(*found), std::move(path)};
}

std::optional<Json> ProxyClient::read_object(const std::string& path, std::string_view action) {
  const auto response = http_.send("GET", path);
  if (response.status == 404) return std::nullopt;
  if (!succeeded(response)) throw http_failure(action, response);
  return parse_answer(action, response);
}

std::string ProxyClient::read_text(const std::string& path, std::string_view action) {
  const auto response = http_.send("GET", path);
  if (!succeeded(response)) throw http_failure(action, response);
  return response.body;
}

std::optional<Json> ProxyClient::get(const ObjectRef& ref) {
  const auto path = path_of(ref);
  if (!path) return inner_->get(ref);
  auto object = read_object(*path, "get " + ref.describe());
  if (!object) return std::nullopt;
  return as_printed(std::move(*object));
}

std::vector<std::optional<Json>> ProxyClient::get_each(const std::vector<ObjectRef>& refs) {
  // Without the proxy, kubectl reads them all in one run.
  if (!http_.available()) return inner_->get_each(refs);
  // As kubectl does with several names: each is read, past another's failure; then the first
  // failure is thrown. A retry then finds every passing failure gone at once.
  std::vector<std::optional<Json>> objects;
  std::optional<KubeError> first_failure;
  for (const auto& ref : refs) {
    try {
      objects.push_back(get(ref));
    } catch (const KubeError& error) {
      if (!first_failure) first_failure = error;
      objects.emplace_back();
    }
  }
  if (first_failure) throw *first_failure;
  return objects;
}

Json ProxyClient::managed_fields(const ObjectRef& ref) {
  const auto path = path_of(ref);
  if (!path) return inner_->managed_fields(ref);
  const auto object = read_object(*path, "get the managed fields of " + ref.describe());
  if (!object) return Json::array();
  return array_member(object_member(*object, "metadata"), "managedFields");
}

std::vector<Json> ProxyClient::list(std::string_view resource, std::string_view namespace_,
                                    std::string_view label_selector) {
  const auto collection = collection_of(resource, namespace_);
  if (!collection) return inner_->list(resource, namespace_, label_selector);
  const auto& [found, path] = *collection;
  std::vector<std::pair<std::string, std::string>> query;
  if (!label_selector.empty()) query.emplace_back("labelSelector", label_selector);
  const std::string action = fmt::format("get {}", resource);
  const auto response = http_.send("GET", path + query_of(query));
  if (!succeeded(response)) throw http_failure(action, response);
  const Json answer = parse_answer(action, response);
  std::vector<Json> objects;
  for (const Json& item : array_member(answer, "items")) {
    // The API server leaves them out of a list's items; kubectl puts them back.
    Json object = item;
    if (!object.contains("apiVersion")) object["apiVersion"] = found.group_version;
    if (!object.contains("kind")) object["kind"] = found.kind;
    objects.push_back(as_printed(std::move(object)));
  }
  return objects;
}

std::vector<Json> ProxyClient::get_named(std::string_view resource, std::string_view namespace_,
                                         const std::vector<std::string>& names) {
  if (names.empty()) return {};
  const auto collection = collection_of(resource, namespace_);
  if (!collection) return inner_->get_named(resource, namespace_, names);
  const std::string action = fmt::format("get {} by name", resource);
  std::vector<Json> objects;
  std::optional<KubeError> first_failure;  // each name is read past another's, as by kubectl
  for (const std::string& name : names) {
    try {
      auto object = read_object(collection->second + "/" + net::url_encoded(name), action);
      if (object) objects.push_back(as_printed(std::move(*object)));
    } catch (const KubeError& error) {
      if (!first_failure) first_failure = error;
    }
  }
  if (first_failure) throw *first_failure;
  return objects;
}

std::string ProxyClient::logs(std::string_view namespace_, std::string_view pod,
                              std::string_view container, int tail_lines, bool previous) {
  if (container.empty() || !http_.available()) {
    return inner_->logs(namespace_, pod, container, tail_lines, previous);
  }
  std::vector<std::pair<std::string, std::string>> query = {
      {"container", std::string(container)}, {"tailLines", std::to_string(tail_lines)}};
  if (previous) query.emplace_back("previous", "true");
  return read_text(pod_log_path(namespace_, pod) + query_of(query),
                   fmt::format("logs {}/{}", namespace_, pod));
}

std::string ProxyClient::log_head(std::string_view namespace_, std::string_view pod,
                                  std::string_view container, int max_bytes) {
  if (container.empty() || !http_.available()) {
    return inner_->log_head(namespace_, pod, container, max_bytes);
  }
  const std::vector<std::pair<std::string, std::string>> query = {
      {"container", std::string(container)},
      {"timestamps", "true"},
      {"limitBytes", std::to_string(max_bytes)}};
  return read_text(pod_log_path(namespace_, pod) + query_of(query),
                   fmt::format("logs {}/{}", namespace_, pod));
}

std::vector<bool> ProxyClient::can_i(const std::vector<AccessQuery>& queries) {
  if (queries.empty() || !http_.available()) return inner_->can_i(queries);
  std::vector<bool> allowed;
  for (const AccessQuery& query : queries) {
    const std::string action = "create SelfSubjectAccessReview";
    const auto response =
        http_.send("POST", std::string(kReviewsPath), access_review(query).dump(), kJsonType);
    if (!succeeded(response)) throw http_failure(action, response);
    const Json review = parse_answer(action, response);
    allowed.push_back(object_member(review, "status").value("allowed", false));
  }
  return allowed;
}

bool ProxyClient::serves(std::string_view group_version, std::string_view resource) {
  if (!http_.available()) return inner_->serves(group_version, resource);
  // Not from discovery_'s documents: a definition installed during the run must show.
  const std::string path = group_version_path(group_version);
  const auto response = http_.send("GET", path);
  if (response.status == 404) return false;
  if (!succeeded(response)) throw http_failure("get " + path, response);
  return resource_named(parse_answer("get " + path, response), resource).has_value();
}

void ProxyClient::limit_request_time(Duration limit) {
  http_.limit_request_time(limit);
  inner_->limit_request_time(limit);
}

Json ProxyClient::written(const net::HttpResponse& response, std::string_view action) {
  if (!succeeded(response)) throw http_failure(action, response);
  return as_printed(parse_answer(action, response, FailureKind::unknown));
}

Json ProxyClient::apply(const Json& object, DryRun dry_run, std::string_view field_manager) {
  const ObjectRef ref = ObjectRef::of(object);
  const auto path = path_of(ref);
  if (!path) return inner_->apply(object, dry_run, field_manager);
  // kubectl apply --server-side --force-conflicts [--dry-run=server], with kubectl's default
  // --validate=strict: a field the server does not know is refused, not dropped.
  std::vector<std::pair<std::string, std::string>> query = {
      {"fieldManager", std::string(field_manager)},
      {"fieldValidation", "Strict"},
      {"force", "true"}};
  if (dry_run == DryRun::server) query.emplace_back("dryRun", "All");
  return written(http_.send("PATCH", *path + query_of(query), object.dump(), kApplyPatchType),
                 "apply " + ref.describe());
}

std::vector<WriteOutcome> ProxyClient::apply_each(const std::vector<Json>& objects, DryRun dry_run,
                                                  std::string_view field_manager) {
  if (!http_.available()) return inner_->apply_each(objects, dry_run, field_manager);
  return KubeClient::apply_each(objects, dry_run, field_manager);
}

Json ProxyClient::replace(const Json& object) {
  const ObjectRef ref = ObjectRef::of(object);
  const auto path = path_of(ref);
  if (!path) return inner_->replace(object);
  // Recorded as the tool's in managedFields, as its kubectl replace is (kubectl_client.cpp); an
  // unknown field refused, as by kubectl's default --validate=strict.
  const std::string query =
      query_of({{"fieldManager", std::string(kFieldManager)}, {"fieldValidation", "Strict"}});
  return written(http_.send("PUT", *path + query, object.dump(), kJsonType),
                 "replace " + ref.describe());
}

bool ProxyClient::remove(const ObjectRef& ref) {
  const auto path = path_of(ref);
  if (!path) return inner_->remove(ref);
  // kubectl delete --wait=false: what the object owns goes in the background.
  const Json options = {
      {"apiVersion", "v1"}, {"kind", "DeleteOptions"}, {"propagationPolicy", "Background"}};
  const auto response = http_.send("DELETE", *path, options.dump(), kJsonType);
  if (succeeded(response)) return true;
  if (response.status == 404) return false;
  throw http_failure("delete " + ref.describe(), response);
}

std::vector<WriteOutcome> ProxyClient::replace_all(const std::vector<Json>& objects) {
  if (!http_.available()) return inner_->replace_all(objects);
  return write_each(objects, [this](const Json& object) { return replace(object); });
}

std::vector<WriteOutcome> ProxyClient::apply_all(const std::vector<Json>& objects,
                                                 std::string_view field_manager) {
  if (!http_.available()) return inner_->apply_all(objects, field_manager);
  return KubeClient::apply_each(objects, DryRun::none, field_manager);
}

}  // namespace cxtm::kube
