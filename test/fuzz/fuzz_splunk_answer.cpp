// Any bytes as what Splunk's API answers (the first byte picks the HTTP status): the trace lookup
// and the topology query must turn every answer into a result, never crash or hang.
#include <chrono>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "splunk/trace_api.h"

namespace {

constexpr int kStatuses[] = {200, 200, 200, 404, 429, 500, 401, 403};

class ScriptedAnswer final : public cxtm::net::HttpClient {
 public:
  ScriptedAnswer(int status, std::string body) : status_(status), body_(std::move(body)) {}
  cxtm::net::HttpResponse send(const cxtm::net::HttpRequest&) override {
    return {.status = status_, .headers = {{"retry-after", "0"}}, .body = body_};
  }

 private:
  int status_;
  std::string body_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const int status = kStatuses[data[0] % std::size(kStatuses)];
  ScriptedAnswer http(status, std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  cxtm::splunk::TraceApi api(http, "http://127.0.0.1:1", "fuzz-token");
  try {
    (void)api.lookup_trace("0af7651916cd43dd8448eb211c80319c", std::chrono::seconds(1));
    const auto now = std::chrono::system_clock::now();
    (void)api.active_services(now - std::chrono::minutes(5), now, "cxtm-poc", cxtm::Clock::now());
  } catch (const cxtm::Error&) {
  }
  return 0;
}
