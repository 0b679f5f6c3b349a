#pragma once
// A KubeClient whose reads are HTTP requests through the run's one `kubectl proxy`
// (kube/proxy_http.h) instead of a kubectl process each: a kubectl start costs about 0.15 s of
// CPU, half of it the kernel mapping a 50 MB binary, and a fleet's run reads hundreds of times.
// Paths come from discovery (kube/api_discovery.h), as kubectl finds them. Objects read the way
// `kubectl get -o json` prints them: each item of a list with its apiVersion and kind, and no
// metadata.managedFields (managed_fields() reads those). Writes go to the inner client (kubectl),
// and so do reads the proxy cannot carry: when it could not start, for a resource discovery does
// not list, for a namespaced one asked without a namespace (kubectl's context namespace), for a
// log without a container (kubectl's default container).

#include <memory>

#include "kube/api_discovery.h"
#include "kube/kube_client.h"
#include "kube/proxy_http.h"

namespace cxtm::kube {

class ProxyReadingClient : public KubeClient {
 public:
  // options: the request timeout, and -v's on_command (kube/proxy_http.h).
  ProxyReadingClient(std::unique_ptr<KubeClient> inner, std::shared_ptr<SharedProxy> proxy,
                     KubectlOptions options);

  std::optional<Json> get(const ObjectRef& ref) override;
  std::vector<std::optional<Json>> get_each(const std::vector<ObjectRef>& refs) override;
  std::vector<Json> list(std::string_view resource, std::string_view namespace_,
                         std::string_view label_selector) override;
  std::vector<Json> get_named(std::string_view resource, std::string_view namespace_,
                              const std::vector<std::string>& names) override;
  Json managed_fields(const ObjectRef& ref) override;
  std::string logs(std::string_view namespace_, std::string_view pod, std::string_view container,
                   int tail_lines, bool previous) override;
  std::string log_head(std::string_view namespace_, std::string_view pod,
                       std::string_view container, int max_bytes) override;
  std::vector<bool> can_i(const std::vector<AccessQuery>& queries) override;
  bool serves(std::string_view group_version, std::string_view resource) override;
  void limit_request_time(Duration limit) override;

  // Writes, and what only the inner client knows.
  Json apply(const Json& object, DryRun dry_run, std::string_view field_manager) override {
    return inner_->apply(object, dry_run, field_manager);
  }
  std::vector<WriteOutcome> apply_each(const std::vector<Json>& objects, DryRun dry_run,
                                       std::string_view field_manager) override {
    return inner_->apply_each(objects, dry_run, field_manager);
  }
  Json replace(const Json& object) override { return inner_->replace(object); }
  bool remove(const ObjectRef& ref) override { return inner_->remove(ref); }
  void await_change(const ObjectRef& watched, Duration at_most) override {
    inner_->await_change(watched, at_most);
  }
  void read_in_bulk(std::string_view kind, const std::string& namespace_, bool follow) override {
    inner_->read_in_bulk(kind, namespace_, follow);
  }

 private:
  // The object's path, nullopt when the proxy or discovery cannot give one.
  std::optional<std::string> path_of(const ObjectRef& ref);
  // The resource and its collection's path, nullopt when the proxy or discovery cannot.
  std::optional<std::pair<ApiResource, std::string>> collection_of(std::string_view resource,
                                                                   std::string_view namespace_);
  // The object at path as stored (nullopt for NotFound), as the server sent it.
  std::optional<Json> read_object(const std::string& path, std::string_view action);
  // The text at path (a log).
  std::string read_text(const std::string& path, std::string_view action);

  std::unique_ptr<KubeClient> inner_;
  ProxyHttp http_;
  ApiDiscovery discovery_;
};

}  // namespace cxtm::kube
