#pragma once
// HTTP to the API server through the run's one `kubectl proxy` (kube/kubectl_proxy.h): plain
// requests with kubectl's credentials, each with the run's request timeout. What the waits'
// lists and watches (proxy_watch_source.h) and the client's requests (proxy_client.h)
// share. A proxy that cannot start is tried once: each later request fails as the first did.

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "kube/kube_client.h"
#include "kube/kubectl_proxy.h"
#include "net/http_client.h"

namespace cxtm::kube {

class ProxyHttp {
 public:
  // options: the request timeout; -v's on_command is shown each request but the streams, as
  // {method, path}.
  ProxyHttp(std::shared_ptr<SharedProxy> proxy, KubectlOptions options)
      : proxy_(std::move(proxy)), options_(std::move(options)) {}

  // Whether the proxy serves, starting it on the first call.
  bool available();
  // The answer to a request for path ("/api/v1/pods"); content_type for a body. Throws
  // KubeError (refused) when the proxy cannot start; an answer of any status is returned.
  net::HttpResponse send(const std::string& method, const std::string& path,
                         const std::string& body = "", const std::string& content_type = "");
  // A GET whose 200 answer streams to on_body (a watch); see CurlHttpClient::stream.
  net::HttpResponse stream(const std::string& path,
                           const std::function<void(std::string_view)>& on_body,
                           const std::atomic<bool>& stop);
  // Lowers the request timeout to limit when that is shorter.
  void limit_request_time(Duration limit);
  // Each request's timeout: the options' request timeout, else 30 s.
  Duration request_time() const;

 private:
  // The proxy's base URL, starting it on the first call; throws KubeError (refused).
  std::string base();

  std::shared_ptr<SharedProxy> proxy_;
  KubectlOptions options_;
  mutable std::mutex mutex_;
  bool routed_ = false;  // http_ sends the proxy's URL through its socket
  net::CurlHttpClient http_;
};

// Pure: the KubeError for an answer of the API server (through the proxy) that is not a 2xx,
// or for no answer, classified as kubectl_failure classifies kubectl's own report of it.
KubeError http_failure(std::string_view action, const net::HttpResponse& response);

}  // namespace cxtm::kube
