#include "actions/session.h"

#include "backup/cluster_store.h"
#include "backup/no_cluster_store.h"
#include "core/error.h"

namespace cxtm::actions {

Session::Session(config::Config config, std::unique_ptr<kube::KubeClient> kube,
                 std::unique_ptr<print::Reporter> reporter,
                 std::shared_ptr<kube::SharedProxy> proxy)
    : config_(std::move(config)),
      kube_(std::move(kube)),
      reporter_(std::move(reporter)),
      proxy_(std::move(proxy)),
      context_{config_, *kube_, *reporter_} {
  const auto root = backup::LocalBackupStore::root_for(config_.state_dir, config_.cluster);
  local_backups_ =
      std::make_unique<backup::LocalBackupStore>(root, root.parent_path().parent_path());
  if (config_.backup_cluster_copy) {
    cluster_backups_ = std::make_unique<backup::ClusterBackupStore>(*kube_);
  } else {
    cluster_backups_ = std::make_unique<backup::NoClusterStore>();
  }
}

Session::~Session() = default;

ValidateEdges Session::validate_edges(const std::string& ca_bundle) {
  if (!http_) {
    http_ = std::make_unique<net::CurlHttpClient>(ca_bundle);
    http_ca_bundle_ = ca_bundle;
  } else if (ca_bundle != http_ca_bundle_) {
    throw Error(ExitCode::api_error,
                "one command talks to one Splunk: a second CA bundle asked for");
  }
  return {.http = *http_, .proxy_url = [this] {
            const kube::KubectlProxy& proxy = proxy_->get();
            if (!http_routed_) http_->route_through_socket(proxy.url(), proxy.socket());
            http_routed_ = true;
            return proxy.url();
          }};
}

}  // namespace cxtm::actions
