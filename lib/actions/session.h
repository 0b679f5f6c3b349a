#pragma once
// Everything a command works with, built in one place (helm's Configuration): the config, the
// kube client, the reporter, the two backup stores, and validate's HTTP edges (a libcurl client
// and `kubectl proxy`, started when first asked for).

#include <memory>
#include <string>

#include "actions/context.h"
#include "actions/validate.h"
#include "backup/backup_store.h"
#include "backup/local_store.h"
#include "config/config.h"
#include "kube/kube_client.h"
#include "kube/kubectl_client.h"
#include "kube/kubectl_proxy.h"
#include "net/http_client.h"
#include "print/reporter.h"

namespace cxtm::actions {

class Session {
 public:
  // proxy: validate's way to the API server over HTTP, the one the kube client's waits share.
  Session(config::Config config, std::unique_ptr<kube::KubeClient> kube,
          std::unique_ptr<print::Reporter> reporter, std::shared_ptr<kube::SharedProxy> proxy);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const config::Config& config() const { return config_; }
  // -l adds the Deployments it finds that the config does not list.
  config::Config& config() { return config_; }
  Context& context() { return context_; }
  BackupStores stores() { return {*local_backups_, *cluster_backups_}; }

  // The HTTP client (trusting ca_bundle for HTTPS; empty: libcurl's default) and the API
  // server's URL through kubectl proxy. The client is made on the first call; a later call
  // with another ca_bundle throws Error: one command talks to one Splunk.
  ValidateEdges validate_edges(const std::string& ca_bundle = "");

 private:
  config::Config config_;
  std::unique_ptr<kube::KubeClient> kube_;
  std::unique_ptr<print::Reporter> reporter_;
  std::shared_ptr<kube::SharedProxy> proxy_;
  std::unique_ptr<backup::LocalBackupStore> local_backups_;
  std::unique_ptr<backup::BackupStore> cluster_backups_;
  Context context_;
  std::unique_ptr<net::CurlHttpClient> http_;
  std::string http_ca_bundle_;
  bool http_routed_ = false;  // http_ sends the proxy's URL through its socket
};

}  // namespace cxtm::actions
