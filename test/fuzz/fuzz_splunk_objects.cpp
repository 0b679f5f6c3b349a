// Any bytes as what Splunk's objects API answers `dashboards apply`: the input is split at NUL
// bytes into answers, given in turn to the requests (the last one repeats); the first byte of
// each picks its HTTP status. Finding what exists, planning and applying (with its undo) must
// end in a result or an Error, never crash, hang or throw anything else.
#include <cstdint>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/error.h"
#include "dashboards/desired.h"
#include "dashboards/existing.h"
#include "dashboards/perform.h"
#include "dashboards/plan.h"
#include "print/reporter.h"

namespace {

// No status that is retried after a sleep (429, 500 on a read, 502-504): fuzzing wants no waits.
// 501 is a write whose outcome is unknown, read back after.
constexpr int kStatuses[] = {200, 200, 200, 200, 204, 400, 401, 403, 404, 409, 501};

class ScriptedAnswers final : public cxtm::net::HttpClient {
 public:
  explicit ScriptedAnswers(std::vector<std::string> answers) : answers_(std::move(answers)) {}
  cxtm::net::HttpResponse send(const cxtm::net::HttpRequest&) override {
    const std::string& answer = answers_[std::min(next_++, answers_.size() - 1)];
    if (answer.empty()) return {.status = 200, .body = "{}"};
    const int status = kStatuses[static_cast<unsigned char>(answer[0]) % std::size(kStatuses)];
    return {.status = status, .body = answer.substr(1)};
  }

 private:
  std::vector<std::string> answers_;
  size_t next_ = 0;
};

// What one service wants, rendered once: the target is the answers, not the templates.
const std::vector<cxtm::dashboards::DesiredObject>& desired() {
  static const auto config = cxtm::config::parse_config(
      "cluster: cxtm-poc\nsplunk:\n  realm: us1\nservices:\n  scheduler: {}\n", "fuzz.yaml");
  static const auto objects = cxtm::dashboards::desired_objects(config, {&config.services.front()});
  return objects;
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
  cxtm::splunk::ObjectsApi api(http, "http://127.0.0.1:1", "fuzz-token", std::chrono::seconds(1));
  cxtm::print::SilentReporter reporter;
  try {
    const auto existing =
        cxtm::dashboards::find_existing(api, desired(), "cxtm-o11y-cluster-cxtm-poc");
    const auto plan = cxtm::dashboards::plan_changes(desired(), existing);
    (void)cxtm::dashboards::perform_plan(api, plan, reporter, {});
  } catch (const cxtm::Error&) {
  }
  return 0;
}
