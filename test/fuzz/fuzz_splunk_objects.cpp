// Any bytes as what Splunk's objects API answers `dashboards apply`: the input is split at NUL
// bytes into answers, given in turn to the requests (the last one repeats); the first byte of
// each picks its HTTP status. Finding what exists, planning and applying (with its undo) must
// end in a result or an Error, never crash, hang or throw anything else.
#include <cstdint>
#include <string>
#include <vector>

#include "actions/dashboards_apply.h"
#include "config/config.h"
#include "core/error.h"
#include "print/reporter.h"

namespace {

// No status that is retried after a sleep (429, 502-504): fuzzing wants no waits.
constexpr int kStatuses[] = {200, 200, 200, 200, 204, 400, 401, 403, 404, 409, 500};

class ScriptedAnswers final : public cxtm::validate::HttpClient {
 public:
  explicit ScriptedAnswers(std::vector<std::string> answers) : answers_(std::move(answers)) {}
  cxtm::validate::HttpResponse send(const cxtm::validate::HttpRequest&) override {
    const std::string& answer = answers_[std::min(next_++, answers_.size() - 1)];
    if (answer.empty()) return {.status = 200, .body = "{}"};
    const int status = kStatuses[static_cast<unsigned char>(answer[0]) % std::size(kStatuses)];
    return {.status = status, .body = answer.substr(1)};
  }

 private:
  std::vector<std::string> answers_;
  size_t next_ = 0;
};

const cxtm::config::Config& poc() {
  static const auto config = cxtm::config::parse_config(
      "cluster: cxtm-poc\nsplunk:\n  realm: us1\nservices:\n  scheduler: {}\n", "fuzz.yaml");
  return config;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> answers(1);
  for (size_t i = 0; i < size && answers.size() < 64; ++i) {
    if (data[i] == 0) {
      answers.emplace_back();
    } else {
      answers.back() += static_cast<char>(data[i]);
    }
  }
  ScriptedAnswers http(std::move(answers));
  cxtm::dashboards::SplunkObjects api(http, "http://127.0.0.1:1", "fuzz-token",
                                      std::chrono::seconds(1));
  cxtm::print::SilentReporter reporter;
  const auto& config = poc();
  try {
    (void)cxtm::actions::apply_dashboards(config, api, reporter,
                                          {.services = {&config.services.front()}});
  } catch (const cxtm::Error&) {
  }
  return 0;
}
