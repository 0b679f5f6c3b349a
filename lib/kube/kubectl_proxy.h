#pragma once
// `kubectl proxy` on a free loopback port, for as long as the object lives: plain HTTP on
// 127.0.0.1 to the API server, with kubectl's credentials. validate reaches the collector's
// health, OTLP and metrics ports through the API server's service and pod proxy this way: no
// port-forward, no exec, nothing installed in the cluster.

#include <memory>
#include <string>

#include "core/duration.h"
#include "kube/child_process.h"
#include "kube/kubectl_client.h"

namespace cxtm::kube {

class KubectlProxy {
 public:
  // Starts `kubectl proxy --port=0 --address=127.0.0.1` with the client's global flags and waits
  // (up to startup) for it to name its port. Throws Error with kubectl's complaint when it exits
  // or stays silent.
  static std::unique_ptr<KubectlProxy> start(const KubectlOptions& options,
                                             Duration startup = std::chrono::seconds(15));

  // "http://127.0.0.1:PORT": the API server's paths under it.
  const std::string& url() const { return url_; }

  KubectlProxy(std::vector<std::string> argv, std::string url);

 private:
  ChildProcess child_;
  std::string url_;
};

// The address in kubectl proxy's "Starting to serve on 127.0.0.1:PORT" line, as a URL; empty
// until that line is complete.
std::string proxy_url_from_output(std::string_view out);

}  // namespace cxtm::kube
