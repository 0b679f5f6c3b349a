#pragma once
// A WatchSource over one `kubectl proxy` (kube/kubectl_proxy.h) for the whole run: each LIST
// and WATCH is an HTTP request through it. A kubectl process each (`kubectl get --raw`) costs
// 0.15 s of CPU to start, and a single service's wait lists and watches three collections and
// resumes each watch when the server ends it. The proxy starts with the first request; when it
// cannot start, every request fails as refused, so the waits poll.

#include <memory>
#include <mutex>

#include "kube/kubectl_proxy.h"
#include "kube/watch_source.h"
#include "net/http_client.h"

namespace cxtm::kube {

class ProxyWatchSource : public WatchSource {
 public:
  // options: the request timeout of each list and watch.
  ProxyWatchSource(std::shared_ptr<SharedProxy> proxy, KubectlOptions options)
      : proxy_(std::move(proxy)), options_(std::move(options)) {}

  Json list(const std::string& path) override;
  void watch(const std::string& path, const std::function<void(std::string_view line)>& on_line,
             const std::atomic<bool>& stop) override;
  void limit_request_time(Duration limit) override;
  // A little under the request timeout, so the server ends a watch first; a minute at most.
  int watch_seconds() const override;

 private:
  // The proxy's base URL, starting it on the first call; a proxy that cannot start is a
  // refusal (KubeError).
  std::string base();
  Duration request_time() const;

  std::shared_ptr<SharedProxy> proxy_;
  KubectlOptions options_;
  std::mutex mutex_;
  bool routed_ = false;  // http_ sends the proxy's URL through its socket
  net::CurlHttpClient http_;
};

// Pure: the KubeError for an answer of the API server (through the proxy) that is not a 200,
// or for no answer, classified as kubectl_failure classifies kubectl's own report of it.
KubeError http_failure(std::string_view action, const net::HttpResponse& response);

}  // namespace cxtm::kube
