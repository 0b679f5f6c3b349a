#include "kube/proxy_watch_source.h"

#include <fmt/core.h>

#include <algorithm>

#include "kube/watch_event.h"

namespace cxtm::kube {

void ProxyWatchSource::limit_request_time(Duration limit) {
  http_.limit_request_time(limit);
}

int ProxyWatchSource::watch_seconds() const {
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(http_.request_time()).count();
  return static_cast<int>(std::clamp<long long>(seconds - 1, 1, 60));
}

Json ProxyWatchSource::list(const std::string& path) {
  const std::string action = "list " + path;
  const auto response = http_.send("GET", path);
  if (response.status != 200) throw http_failure(action, response);
  Json answer = Json::parse(response.body, nullptr, false);
  if (!answer.is_object() || !answer.contains("items")) {
    throw KubeError(ExitCode::kubectl, fmt::format("kubectl {}: the answer is not a List", action),
                    FailureKind::transient);
  }
  return answer;
}

void ProxyWatchSource::watch(const std::string& path,
                             const std::function<void(std::string_view line)>& on_line,
                             const std::atomic<bool>& stop) {
  // The server ends the watch at its timeoutSeconds (watch_seconds()); the request's own
  // timeout is a little later, so a server that stops answering cannot hold the stream long.
  LineBuffer lines;
  const auto response = http_.stream(
      path,
      [&](std::string_view chunk) {
        for (const std::string& line : lines.append(chunk)) on_line(line);
      },
      stop);
  if (stop || response.status == 200) return;
  throw http_failure("watch " + path, response);
}

}  // namespace cxtm::kube
