#include "validate/report.h"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>

#include "core/redact.h"

namespace cxtm::validate {
namespace {

long long milliseconds(Duration duration) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(duration).count();
}

// Every text in a result passes through redact: details quote logs and server answers.
void scrub(CheckResult& result) {
  result.summary = redact(result.summary);
  result.remedy = redact(result.remedy);
  for (auto& line : result.details) line = redact(line);
  result.data = Json::parse(redact(result.data.dump()));
}

}  // namespace

std::string_view status_name(Status status) {
  switch (status) {
    case Status::pass:
      return "pass";
    case Status::warn:
      return "warn";
    case Status::fail:
      return "fail";
    case Status::skip:
      return "skip";
  }
  return "unknown";
}

std::string CheckResult::label() const {
  return service.empty() ? id : fmt::format("{} {}", id, service);
}

Json CheckResult::to_json() const {
  return Json{{"number", number},
              {"id", id},
              {"title", title},
              {"service", service.empty() ? Json(nullptr) : Json(service)},
              {"status", status_name(status)},
              {"durationMs", milliseconds(duration)},
              {"summary", summary},
              {"details", details},
              {"remedy", remedy.empty() ? Json(nullptr) : Json(remedy)},
              {"data", data}};
}

bool Report::passed() const {
  return count(Status::fail) == 0;
}

int Report::count(Status status) const {
  return static_cast<int>(std::count_if(checks.begin(), checks.end(),
                                        [&](const CheckResult& c) { return c.status == status; }));
}

ExitCode Report::exit_code() const {
  return passed() ? ExitCode::ok : ExitCode::failed;
}

const CheckResult* Report::find(std::string_view id, std::string_view service) const {
  for (auto it = checks.rbegin(); it != checks.rend(); ++it) {
    if (it->id == id && (service.empty() || it->service == service)) return &*it;
  }
  return nullptr;
}

Json Report::to_json() const {
  Json list = Json::array();
  for (const auto& check : checks) list.push_back(check.to_json());
  return Json{{"verdict", passed() ? "pass" : "fail"},
              {"exitCode", static_cast<int>(exit_code())},
              {"cluster", cluster},
              {"collector", collector},
              {"services", services},
              {"traceId", trace_id.empty() ? Json(nullptr) : Json(trace_id)},
              {"durationMs", milliseconds(duration)},
              {"counts",
               {{"pass", count(Status::pass)},
                {"warn", count(Status::warn)},
                {"fail", count(Status::fail)},
                {"skip", count(Status::skip)}}},
              {"checks", list}};
}

std::string remedy_for(ExitCode code) {
  switch (code) {
    case ExitCode::kubectl:
      return "check that kubectl works with this kubeconfig and context (kubectl get nodes)";
    case ExitCode::forbidden:
      return "the kubeconfig's user lacks a permission: see check 1 (access) for the verbs";
    case ExitCode::timeout:
      return "the API server answered too slowly; retry, or raise --timeout";
    case ExitCode::not_found:
      return "an object is missing: deploy the collector (cxtm-o11y collector deploy) and "
             "instrument the services first";
    default:
      return "";
  }
}

const CheckResult& CheckRunner::skip(CheckResult header, std::string reason) {
  header.status = Status::skip;
  header.summary = std::move(reason);
  report_.checks.push_back(std::move(header));
  return report_.checks.back();
}

const CheckResult& CheckRunner::run(CheckResult header,
                                    std::initializer_list<std::string_view> depends_on,
                                    const std::function<void(CheckResult&)>& body) {
  for (std::string_view dependency : depends_on) {
    for (const auto& earlier : report_.checks) {
      if (earlier.id != dependency) continue;
      if (earlier.status == Status::fail || earlier.status == Status::skip) {
        return skip(std::move(header),
                    fmt::format("skipped: check {} ({}) {}", earlier.number, earlier.label(),
                                earlier.status == Status::fail ? "failed" : "was skipped"));
      }
    }
  }
  CheckResult result = std::move(header);
  result.status = Status::pass;
  if (on_start_) on_start_(result);
  const auto start = time_.now();
  try {
    body(result);
  } catch (const Error& error) {
    if (error.code() == ExitCode::interrupted) throw;
    result.status = Status::fail;
    result.summary = error.what();
    if (result.remedy.empty()) result.remedy = remedy_for(error.code());
  }
  result.duration = std::chrono::duration_cast<Duration>(time_.now() - start);
  scrub(result);
  report_.checks.push_back(std::move(result));
  return report_.checks.back();
}

}  // namespace cxtm::validate
