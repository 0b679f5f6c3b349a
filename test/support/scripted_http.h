#pragma once
// An HttpClient that answers from a script, for tests of the retry and polling logic without a
// network: each send takes the next answer (the last one repeats) and records the request.

#include <deque>
#include <mutex>
#include <vector>

#include "net/http_client.h"

namespace cxtm::testing {

class ScriptedHttp : public net::HttpClient {
 public:
  explicit ScriptedHttp(std::vector<net::HttpResponse> answers)
      : answers_(answers.begin(), answers.end()) {}

  net::HttpResponse send(const net::HttpRequest& request) override {
    std::lock_guard lock(mutex_);
    requests.push_back(request);
    if (answers_.size() > 1) {
      auto answer = answers_.front();
      answers_.pop_front();
      return answer;
    }
    return answers_.front();
  }

  std::vector<net::HttpRequest> requests;

 private:
  std::mutex mutex_;
  std::deque<net::HttpResponse> answers_;
};

// An answer with a status, body and headers (names in lower case).
inline net::HttpResponse answer(int status, std::string body = "",
                                std::map<std::string, std::string> headers = {}) {
  net::HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}

}  // namespace cxtm::testing
