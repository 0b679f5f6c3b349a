#include "kube/proxy_watch_source.h"

#include <fmt/core.h>

#include <algorithm>

#include "kube/kubectl_errors.h"
#include "kube/watch_event.h"

namespace cxtm::kube {

KubeError http_failure(std::string_view action, const net::HttpResponse& response) {
  // What kubectl would print for it, so that both ways to the API server read and classify
  // alike: "Error from server (Reason): message" from the Status the server sent.
  std::string report;
  if (!response.answered()) {
    report = response.timed_out ? "Client.Timeout exceeded: " + response.error
             : response.not_connected
                 ? "The connection to the server was refused: " + response.error
                 : "unexpected EOF: " + response.error;
  } else {
    const Json status = Json::parse(response.body, nullptr, false);
    std::string reason = status.is_object() ? status.value("reason", "") : "";
    const std::string message = status.is_object() ? status.value("message", "") : "";
    if (reason.empty()) {
      reason = response.status == 429   ? "TooManyRequests"
               : response.status >= 500 ? "InternalError"
               : response.status == 404 ? "NotFound"
               : response.status == 403 ? "Forbidden"
               : response.status == 401 ? "Unauthorized"
                                        : "BadRequest";
    }
    report = fmt::format("Error from server ({}): {}", reason,
                         message.empty() ? response.describe() : message);
  }
  return kubectl_failure(action, {.exit_code = 1, .out = "", .err = report});
}

std::string ProxyWatchSource::base() {
  std::lock_guard lock(mutex_);
  try {
    const KubectlProxy& proxy = proxy_->get();
    if (!routed_) http_.route_through_socket(proxy.url(), proxy.socket());
    routed_ = true;
    return proxy.url();
  } catch (const KubeError&) {
    throw;
  } catch (const Error& error) {
    // Not worth another try in this run (SharedProxy does not try again): the waits poll.
    throw KubeError(error.code(), error.what(), FailureKind::refused);
  }
}

Duration ProxyWatchSource::request_time() const {
  const auto timeout = parse_duration(options_.request_timeout);
  return timeout && timeout->count() > 0 ? *timeout : std::chrono::seconds(30);
}

void ProxyWatchSource::limit_request_time(Duration limit) {
  std::lock_guard lock(mutex_);
  lower_request_timeout(options_, limit);
}

int ProxyWatchSource::watch_seconds() const {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(request_time()).count();
  return static_cast<int>(std::clamp<long long>(seconds - 1, 1, 60));
}

Json ProxyWatchSource::list(const std::string& path) {
  const std::string action = "list " + path;
  const auto response = http_.send({.url = base() + path, .timeout = request_time()});
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
      {.url = base() + path, .timeout = request_time()},
      [&](std::string_view chunk) {
        for (const std::string& line : lines.append(chunk)) on_line(line);
      },
      stop);
  if (stop || response.status == 200) return;
  throw http_failure("watch " + path, response);
}

}  // namespace cxtm::kube
