#include "kube/kubectl_proxy.h"

#include <fmt/core.h>

#include "core/error.h"
#include "kube/kubectl_errors.h"

namespace cxtm::kube {
namespace {

constexpr std::string_view kServing = "Starting to serve on ";

// kubectl proxy on socket, with the client's global flags but --request-timeout: the proxy does
// not apply it to what it forwards (checked with kubectl 1.32), so each request through it
// carries its own deadline (the HTTP client's). Shown first when -v asks.
std::vector<std::string> proxy_argv(KubectlOptions options, const std::string& socket) {
  options.request_timeout.clear();
  auto argv = KubectlClient(options).command({"proxy", "--unix-socket=" + socket});
  if (options.on_command) options.on_command(argv);
  return argv;
}

}  // namespace

bool proxy_serving(std::string_view out) {
  const auto at = out.find(kServing);
  return at != std::string_view::npos && out.find('\n', at) != std::string_view::npos;
}

KubectlProxy::KubectlProxy(const KubectlOptions& options)
    : socket_((dir_.path() / "kube-api.sock").string()), child_(proxy_argv(options, socket_)) {}

std::unique_ptr<KubectlProxy> KubectlProxy::start(const KubectlOptions& options, Duration startup) {
  auto proxy = std::make_unique<KubectlProxy>(options);
  if (!proxy->child_.wait_for_output(proxy_serving, startup)) {
    ProcessResult result{.out = proxy->child_.out(), .err = proxy->child_.err()};
    result.exit_code = proxy->child_.stop();
    if (result.err.empty() && result.exit_code == 128 + 15) {
      throw Error(ExitCode::timeout,
                  fmt::format("kubectl proxy did not start within {}", format_duration(startup)));
    }
    throw kubectl_failure("proxy", result);
  }
  return proxy;
}

const KubectlProxy& SharedProxy::get() {
  std::lock_guard lock(mutex_);
  if (failed_) throw *failed_;
  if (!proxy_) {
    try {
      proxy_ = KubectlProxy::start(options_);
    } catch (const Error& error) {
      failed_ = error;
      throw;
    }
  }
  return *proxy_;
}

}  // namespace cxtm::kube
