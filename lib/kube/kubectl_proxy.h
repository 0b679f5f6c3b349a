#pragma once
// `kubectl proxy` on a Unix socket in a directory only this user can enter (0700), for as long
// as the object lives: plain HTTP to the API server with kubectl's credentials, which no other
// user of the machine can reach (a loopback TCP port would serve anyone logged in). validate
// reaches the collector's health, OTLP and metrics ports through the API server's service and
// pod proxy this way: no port-forward, no exec, nothing installed in the cluster.

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/duration.h"
#include "core/error.h"
#include "core/private_directory.h"
#include "kube/child_process.h"
#include "kube/kubectl_client.h"

namespace cxtm::kube {

class KubectlProxy {
 public:
  // Starts `kubectl proxy --unix-socket=<private dir>/kube-api.sock` with the client's global
  // flags and waits (up to startup) for it to serve. Throws Error with kubectl's complaint when
  // it exits or stays silent.
  static std::unique_ptr<KubectlProxy> start(const KubectlOptions& options,
                                             Duration startup = std::chrono::seconds(15));

  // "http://localhost", the base of the API server's paths; requests to it go through
  // socket() (an HTTP client's Unix-socket option), with the Host kubectl proxy accepts.
  const std::string& url() const { return url_; }
  const std::string& socket() const { return socket_; }

  explicit KubectlProxy(const KubectlOptions& options);

 private:
  PrivateDirectory dir_;  // first: made before the child starts, removed after it has stopped
  std::string socket_;
  ChildProcess child_;
  std::string url_ = "http://localhost";
};

// One `kubectl proxy` for a whole run, started when first asked for and shared by whatever needs
// the API server over HTTP: the waits' lists and watches, validate's checks. One that could not
// start is not tried again: each later call throws the same Error.
class SharedProxy {
 public:
  explicit SharedProxy(KubectlOptions options) : options_(std::move(options)) {}
  // The running proxy; throws Error when it cannot start. Safe to call from any thread.
  const KubectlProxy& get();

 private:
  KubectlOptions options_;
  std::mutex mutex_;
  std::unique_ptr<KubectlProxy> proxy_;
  std::optional<Error> failed_;
};

// Whether kubectl proxy's "Starting to serve on <address>" line is complete in out.
bool proxy_serving(std::string_view out);

}  // namespace cxtm::kube
