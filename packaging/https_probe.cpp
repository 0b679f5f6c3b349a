// cxtm-https-probe URL: one HTTPS GET the way the portable cxtm-o11y makes it (static libcurl
// and OpenSSL, host names through /etc/hosts and DNS only, the CA bundle found by
// config::find_ca_bundle). packaging/check-portable.sh runs it in an empty chroot against a
// local TLS server. Prints the HTTP status and the CA bundle used; exit 0 on HTTP 200.
#include <curl/curl.h>
#include <fmt/core.h>

#include "cli/portable_runtime.h"
#include "config/ca_bundle.h"
#include "core/error.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    fmt::print(stderr, "usage: cxtm-https-probe URL\n");
    return 2;
  }
  cxtm::cli::prepare_portable_runtime();
  try {
    const auto bundle = cxtm::config::find_ca_bundle("", "the probe");
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL* handle = curl_easy_init();
    char error[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(handle, CURLOPT_URL, argv[1]);
    curl_easy_setopt(handle, CURLOPT_CAINFO, bundle.path.c_str());
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(handle, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(
        handle, CURLOPT_WRITEFUNCTION,
        +[](char*, size_t size, size_t count, void*) { return size * count; });
    const CURLcode result = curl_easy_perform(handle);
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(handle);
    if (result != CURLE_OK) {
      fmt::print(stderr, "cxtm-https-probe: {}: {} (CA bundle {}, {})\n", argv[1],
                 *error != '\0' ? error : curl_easy_strerror(result), bundle.path, bundle.origin);
      return 1;
    }
    fmt::print("HTTP {} from {} (CA bundle {}, {})\n", status, argv[1], bundle.path, bundle.origin);
    return status == 200 ? 0 : 1;
  } catch (const cxtm::Error& e) {
    fmt::print(stderr, "cxtm-https-probe: {}\n", e.what());
    return 2;
  }
}
