#pragma once
// A KubeClient whose requests go over HTTP through the run's one `kubectl proxy`
// (kube/proxy_http.h) instead of a kubectl process each: a kubectl start costs about 0.15 s of
// CPU, half of it the kernel mapping a 50 MB binary, and a fleet's run makes hundreds of
// requests. Paths come from discovery (kube/api_discovery.h), as kubectl finds them; each
// request is the one kubectl would send (server-side apply as a PATCH of
// application/apply-patch+yaml, replace as a PUT, both with kubectl's fieldValidation=Strict;
// delete in the background).
//
// Objects read the way `kubectl get -o json` prints them: keys sorted, each item of a list with
// its apiVersion and kind, and no metadata.managedFields (managed_fields() reads those). Errors
// read and classify as kubectl's reports of them (http_failure). kubectl itself (the inner
// client) carries what the proxy cannot: everything when the proxy could not start, a resource
// discovery does not list, a namespaced one without a namespace (kubectl's context namespace), a
// log without a container (kubectl's default container).

#include <memory>

#include "kube/api_discovery.h"
#include "kube/batch_writer.h"
#include "kube/kube_client.h"
#include "kube/kubectl_client.h"
#include "kube/proxy_http.h"

namespace cxtm::kube {

class ProxyClient : public KubeClient, public BatchWriter {
 public:
  // options: the request timeout, and -v's on_command (kube/proxy_http.h).
  ProxyClient(std::unique_ptr<KubectlClient> kubectl, std::shared_ptr<SharedProxy> proxy,
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

  Json apply(const Json& object, DryRun dry_run, std::string_view field_manager) override;
  // Each object's own request, one going on past another's failure.
  std::vector<WriteOutcome> apply_each(const std::vector<Json>& objects, DryRun dry_run,
                                       std::string_view field_manager) override;
  Json replace(const Json& object) override;
  bool remove(const ObjectRef& ref) override;
  // BatchWriter: each object's own request, in turn.
  std::vector<WriteOutcome> replace_all(const std::vector<Json>& objects) override;
  std::vector<WriteOutcome> apply_all(const std::vector<Json>& objects,
                                      std::string_view field_manager) override;

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

  // The stored object an answer to a write holds, or its failure thrown.
  Json written(const net::HttpResponse& response, std::string_view action);

  std::unique_ptr<KubectlClient> inner_;
  ProxyHttp http_;
  ApiDiscovery discovery_;
};

}  // namespace cxtm::kube
