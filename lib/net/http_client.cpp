#include "net/http_client.h"

#include <curl/curl.h>
#include <fmt/core.h>

#include <algorithm>
#include <memory>
#include <mutex>

#include "core/text.h"
#include "net/url.h"

namespace cxtm::net {
namespace {

size_t on_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto& response = *static_cast<HttpResponse*>(user);
  const std::string_view line(data, size * count);
  // A new status line (after a 100 Continue) starts a new header set.
  if (line.starts_with("HTTP/")) response.headers.clear();
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    response.headers[to_lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
  }
  return size * count;
}

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct HeaderListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

std::string HttpResponse::header(std::string_view name) const {
  const auto found = headers.find(to_lower(name));
  return found == headers.end() ? "" : found->second;
}

std::string HttpResponse::describe() const {
  return answered() ? fmt::format("HTTP {}", status) : error;
}

// One request's libcurl handle, set up as both send() and stream() need it.
struct CurlHttpClient::Exchange {
  std::unique_ptr<CURL, CurlDeleter> curl;
  std::unique_ptr<curl_slist, HeaderListDeleter> headers;
  char error_text[CURL_ERROR_SIZE] = {};
  HttpResponse response;

  Exchange(const CurlHttpClient& client, const HttpRequest& request) {
    static std::once_flag global_init;
    std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    curl.reset(curl_easy_init());
    if (!curl) return;
    for (const auto& [name, value] : request.headers) {
      const std::string line = name + ": " + value;
      headers.reset(curl_slist_append(headers.release(), line.c_str()));
    }
    // curl adds "Expect: 100-continue" to larger POSTs; the proxies in between gain nothing.
    headers.reset(curl_slist_append(headers.release(), "Expect:"));

    const long timeout_ms = std::max<long>(1, static_cast<long>(request.timeout.count()));
    CURL* handle = curl.get();
    curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for timeouts
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(handle, CURLOPT_USERAGENT, "cxtm-o11y/" CXTM_VERSION);
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_text);
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &response.body);
    curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(handle, CURLOPT_HEADERDATA, &response);
    if (is_loopback_url(request.url)) curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");
    if (!client.socket_path_.empty() && (request.url == client.socket_base_ ||
                                         request.url.starts_with(client.socket_base_ + "/"))) {
      curl_easy_setopt(handle, CURLOPT_UNIX_SOCKET_PATH, client.socket_path_.c_str());
    }
    if (!client.ca_bundle_.empty()) {
      curl_easy_setopt(handle, CURLOPT_CAINFO, client.ca_bundle_.c_str());
    }
    if (request.method == "GET") {
      curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
      curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    }
  }

  // The response once the transfer ended with code.
  HttpResponse finish(CURLcode code, const HttpRequest& request) {
    if (code != CURLE_OK) {
      response.timed_out = code == CURLE_OPERATION_TIMEDOUT;
      response.not_connected = code == CURLE_COULDNT_CONNECT ||
                               code == CURLE_COULDNT_RESOLVE_HOST ||
                               code == CURLE_COULDNT_RESOLVE_PROXY;
      response.error =
          response.timed_out
              ? fmt::format("no answer within {}", format_duration(request.timeout))
              : std::string(error_text[0] != '\0' ? error_text : curl_easy_strerror(code));
      response.status = 0;
      response.body.clear();
      return std::move(response);
    }
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    return std::move(response);
  }
};

HttpResponse CurlHttpClient::send(const HttpRequest& request) {
  Exchange exchange(*this, request);
  if (!exchange.curl) {
    exchange.response.error = "libcurl could not start a request";
    return exchange.response;
  }
  return exchange.finish(curl_easy_perform(exchange.curl.get()), request);
}

namespace {

struct StreamSink {
  CURL* handle;
  std::string* kept;  // a body that is not a 200's
  const std::function<void(std::string_view)>* on_body;
};

size_t on_stream(char* data, size_t size, size_t count, void* user) {
  const auto& sink = *static_cast<StreamSink*>(user);
  long status = 0;
  curl_easy_getinfo(sink.handle, CURLINFO_RESPONSE_CODE, &status);
  if (status == 200) {
    (*sink.on_body)(std::string_view(data, size * count));
  } else {
    sink.kept->append(data, size * count);
  }
  return size * count;
}

struct MultiDeleter {
  void operator()(CURLM* multi) const { curl_multi_cleanup(multi); }
};

}  // namespace

HttpResponse CurlHttpClient::stream(const HttpRequest& request,
                                    const std::function<void(std::string_view)>& on_body,
                                    const std::atomic<bool>& stop) {
  Exchange exchange(*this, request);
  std::unique_ptr<CURLM, MultiDeleter> multi(curl_multi_init());
  if (!exchange.curl || !multi) {
    exchange.response.error = "libcurl could not start a request";
    return exchange.response;
  }
  CURL* handle = exchange.curl.get();
  StreamSink sink{handle, &exchange.response.body, &on_body};
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_stream);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &sink);
  curl_multi_add_handle(multi.get(), handle);
  CURLcode result = CURLE_OK;
  for (bool running = true; running;) {
    int still_running = 0;
    if (curl_multi_perform(multi.get(), &still_running) != CURLM_OK) {
      result = CURLE_RECV_ERROR;
      break;
    }
    if (still_running == 0) {
      int left = 0;
      while (CURLMsg* message = curl_multi_info_read(multi.get(), &left)) {
        if (message->msg == CURLMSG_DONE) result = message->data.result;
      }
      running = false;
    } else if (stop) {
      result = CURLE_ABORTED_BY_CALLBACK;
      running = false;
    } else {
      curl_multi_poll(multi.get(), nullptr, 0, 100, nullptr);
    }
  }
  curl_multi_remove_handle(multi.get(), handle);
  return exchange.finish(result, request);
}

void CurlHttpClient::route_through_socket(std::string base_url, std::string path) {
  socket_base_ = std::move(base_url);
  socket_path_ = std::move(path);
}

}  // namespace cxtm::net
