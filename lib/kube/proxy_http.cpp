#include "kube/proxy_http.h"

#include <fmt/core.h>

#include "core/one_line.h"
#include "core/text.h"
#include "kube/kubectl_errors.h"

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
  } else if (const Json status = Json::parse(response.body, nullptr, false);
             response.status == 500 && !status.is_object() &&
             response.header("content-type").starts_with("text/plain")) {
    // kubectl proxy's own report of a failure on its way to the API server. Not connected
    // ("dial tcp ...: connect: connection refused"): what kubectl prints for it. Anything else
    // (EOF, a reset, a timeout) came after the request went out: it may have been done.
    const std::string cause = one_line(trim(response.body));
    report = cause.starts_with("dial ") ? "Unable to connect to the server: " + cause
                                        : "unexpected EOF: " + cause;
  } else {
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

bool ProxyHttp::available() {
  try {
    base();
    return true;
  } catch (const KubeError&) {
    return false;
  }
}

std::string ProxyHttp::base() {
  std::lock_guard lock(mutex_);
  try {
    const KubectlProxy& proxy = proxy_->get();
    if (!routed_) http_.route_through_socket(proxy.url(), proxy.socket());
    routed_ = true;
    return proxy.url();
  } catch (const KubeError&) {
    throw;
  } catch (const Error& error) {
    // Not worth another try in this run: SharedProxy does not start it again.
    throw KubeError(error.code(), error.what(), FailureKind::refused);
  }
}

Duration ProxyHttp::request_time() const {
  std::lock_guard lock(mutex_);
  const auto timeout = parse_duration(options_.request_timeout);
  return timeout && timeout->count() > 0 ? *timeout : std::chrono::seconds(30);
}

void ProxyHttp::limit_request_time(Duration limit) {
  std::lock_guard lock(mutex_);
  lower_request_timeout(options_, limit);
}

net::HttpResponse ProxyHttp::send(const std::string& method, const std::string& path,
                                  const std::string& body, const std::string& content_type) {
  net::HttpRequest request{
      .method = method, .url = base() + path, .body = body, .timeout = request_time()};
  if (!content_type.empty()) request.headers.emplace_back("Content-Type", content_type);
  request.headers.emplace_back("Accept", "application/json");
  if (options_.on_command) options_.on_command({method, path});
  return http_.send(request);
}

net::HttpResponse ProxyHttp::stream(const std::string& path,
                                    const std::function<void(std::string_view)>& on_body,
                                    const std::atomic<bool>& stop) {
  return http_.stream({.url = base() + path, .timeout = request_time()}, on_body, stop);
}

}  // namespace cxtm::kube
