#include "kube/kubectl_proxy.h"

#include <fmt/core.h>

#include "core/error.h"
#include "kube/kubectl_errors.h"

namespace cxtm::kube {
namespace {

constexpr std::string_view kServing = "Starting to serve on ";

}  // namespace

std::string proxy_url_from_output(std::string_view out) {
  const auto at = out.find(kServing);
  if (at == std::string_view::npos) return "";
  const auto address_start = at + kServing.size();
  const auto end = out.find('\n', address_start);
  if (end == std::string_view::npos) return "";
  std::string_view address = out.substr(address_start, end - address_start);
  while (!address.empty() && (address.back() == '\r' || address.back() == ' ')) {
    address.remove_suffix(1);
  }
  return address.empty() ? "" : "http://" + std::string(address);
}

KubectlProxy::KubectlProxy(std::vector<std::string> argv, std::string url)
    : child_(std::move(argv)), url_(std::move(url)) {}

std::unique_ptr<KubectlProxy> KubectlProxy::start(const KubectlOptions& options, Duration startup) {
  const KubectlClient client(options);
  // --port=0: the kernel picks a free port and kubectl prints it.
  const auto argv = client.command({"proxy", "--port=0", "--address=127.0.0.1"});
  if (options.on_command) options.on_command(argv);
  auto proxy = std::make_unique<KubectlProxy>(argv, "");
  const bool serving = proxy->child_.wait_for_output(
      [](std::string_view out) { return !proxy_url_from_output(out).empty(); }, startup);
  if (!serving) {
    ProcessResult result{.out = proxy->child_.out(), .err = proxy->child_.err()};
    result.exit_code = proxy->child_.stop();
    if (result.err.empty() && result.exit_code == 128 + 15) {
      throw Error(ExitCode::timeout,
                  fmt::format("kubectl proxy did not start within {}", format_duration(startup)));
    }
    throw kubectl_failure("proxy", result);
  }
  proxy->url_ = proxy_url_from_output(proxy->child_.out());
  return proxy;
}

}  // namespace cxtm::kube
