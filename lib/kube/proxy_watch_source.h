#pragma once
// A WatchSource over one `kubectl proxy` (kube/kubectl_proxy.h) for the whole run: each LIST
// and WATCH is an HTTP request through it. A kubectl process each (`kubectl get --raw`) costs
// 0.15 s of CPU to start, and a single service's wait lists and watches three collections and
// resumes each watch when the server ends it. The proxy starts with the first request; when it
// cannot start, every request fails as refused, so the waits poll.

#include <memory>

#include "kube/proxy_http.h"
#include "kube/watch_source.h"

namespace cxtm::kube {

class ProxyWatchSource : public WatchSource {
 public:
  // options: the request timeout of each list and watch.
  ProxyWatchSource(std::shared_ptr<SharedProxy> proxy, KubectlOptions options)
      : http_(std::move(proxy), std::move(options)) {}

  Json list(const std::string& path) override;
  void watch(const std::string& path, const std::function<void(std::string_view line)>& on_line,
             const std::atomic<bool>& stop) override;
  void limit_request_time(Duration limit) override;
  // A little under the request timeout, so the server ends a watch first; a minute at most.
  int watch_seconds() const override;

 private:
  ProxyHttp http_;
};

}  // namespace cxtm::kube
