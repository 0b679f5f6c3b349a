#pragma once
// Where a cache of the cluster (watching_client.h) reads collections and their changes: a LIST
// and a WATCH of an API path. ProxyWatchSource (proxy_watch_source.h) sends them all through one
// `kubectl proxy`.

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/duration.h"
#include "core/json.h"

namespace cxtm::kube {

class WatchSource {
 public:
  virtual ~WatchSource() = default;
  // The collection at an API path ("/api/v1/namespaces/default/pods") as one List, with the
  // metadata.resourceVersion to watch from. Throws KubeError.
  virtual Json list(const std::string& path) = 0;
  // Streams the watch at path (its query included) to on_line, a line at a time, until the
  // server ends it (returns), it fails (throws KubeError) or stop turns true (returns soon
  // after).
  virtual void watch(const std::string& path,
                     const std::function<void(std::string_view line)>& on_line,
                     const std::atomic<bool>& stop) = 0;
  // No list, and no watch past its own end, may take longer than limit (the command's
  // --timeout, as KubeClient::limit_request_time).
  virtual void limit_request_time(Duration limit) = 0;
  // The timeoutSeconds a watch asks the server for.
  virtual int watch_seconds() const = 0;
};

}  // namespace cxtm::kube
