#pragma once
// HTTP for validate: the collector through the kubectl proxy, and Splunk's API. The interface
// lets tests script answers; CurlHttpClient is the one implementation (libcurl). Requests may
// carry a token in a header: headers are never logged or put into an error.

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/duration.h"

namespace cxtm::net {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  Duration timeout = std::chrono::seconds(10);  // the whole exchange, connect included
};

struct HttpResponse {
  int status = 0;                              // 0: no answer (see error)
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string error;       // why there was no answer ("connection refused", ...); empty otherwise
  bool timed_out = false;  // no answer within the request's timeout
  // No connection was made (refused, no route, host unknown): the request never reached the
  // server, so it cannot have taken effect.
  bool not_connected = false;

  bool answered() const { return status != 0; }
  // The header's value ("" when absent); name in any case.
  std::string header(std::string_view name) const;
  // "HTTP 503" or the transport error, for messages.
  std::string describe() const;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Sends the request and waits for the whole answer. Never throws for network failures: they
  // come back as a response without a status.
  virtual HttpResponse send(const HttpRequest& request) = 0;
};

// libcurl. Redirects are not followed; loopback URLs never go through an HTTP proxy from the
// environment (other URLs honour https_proxy / no_proxy as curl does). HTTPS is verified
// against ca_bundle (config/ca_bundle.h finds it) when one is given, else libcurl's default.
class CurlHttpClient final : public HttpClient {
  struct Exchange;

 public:
  explicit CurlHttpClient(std::string ca_bundle = "") : ca_bundle_(std::move(ca_bundle)) {}
  HttpResponse send(const HttpRequest& request) override;
  // Sends a GET whose answer streams (a Kubernetes watch): a 200's body goes to on_body as it
  // arrives, and is not kept; any other status's body is kept in the response. Returns when the
  // server ends the answer, the request's timeout passes, or soon (0.1 s) after stop turns true.
  HttpResponse stream(const HttpRequest& request,
                      const std::function<void(std::string_view)>& on_body,
                      const std::atomic<bool>& stop);

  // From now on, requests under base_url ("http://localhost") connect to the Unix socket at
  // path (kubectl proxy's). Call it before requests run on other threads.
  void route_through_socket(std::string base_url, std::string path);

 private:
  std::string ca_bundle_;
  std::string socket_base_;
  std::string socket_path_;
};

}  // namespace cxtm::net
