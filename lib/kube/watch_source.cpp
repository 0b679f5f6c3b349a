#include "kube/watch_source.h"

#include <fmt/core.h>

#include <algorithm>

#include "core/error.h"
#include "kube/child_process.h"
#include "kube/kubectl_errors.h"
#include "kube/watch_event.h"

namespace cxtm::kube {

std::vector<std::string> KubectlWatchSource::raw_get(const std::string& path) const {
  std::vector<std::string> argv = KubectlClient(options_).command({"get", "--raw", path});
  if (options_.on_command) options_.on_command(argv);
  return argv;
}

void KubectlWatchSource::limit_request_time(Duration limit) {
  lower_request_timeout(options_, limit);
}

int KubectlWatchSource::watch_seconds() const {
  const auto timeout = parse_duration(options_.request_timeout);
  if (!timeout || timeout->count() <= 0) return 60;
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(*timeout).count();
  return static_cast<int>(std::clamp<long long>(seconds - 1, 1, 60));
}

Json KubectlWatchSource::list(const std::string& path) {
  const auto result = run_process({.argv = raw_get(path)});
  const std::string action = "list " + path;
  if (result.exit_code != 0) throw kubectl_failure(action, result);
  Json answer = Json::parse(result.out, nullptr, false);
  if (!answer.is_object() || !answer.contains("items")) {
    throw KubeError(ExitCode::kubectl, fmt::format("kubectl {}: output is not a List", action),
                    FailureKind::transient);
  }
  return answer;
}

void KubectlWatchSource::watch(const std::string& path,
                               const std::function<void(std::string_view line)>& on_line,
                               const std::atomic<bool>& stop) {
  // The server ends the watch at its timeoutSeconds (watch_seconds()); the client's own request
  // timeout is a little later, so a server that stops answering cannot hold the stream (or an
  // orphaned kubectl) for long.
  LineBuffer lines;
  ChildProcess child(raw_get(path), [&](std::string_view chunk) {
    for (const std::string& line : lines.append(chunk)) on_line(line);
  });
  bool ended = false;
  while (!ended && !stop) {
    ended = child.wait_for_output([](std::string_view) { return false; },
                                  std::chrono::milliseconds(100)) ||
            child.stopped_writing();
  }
  const int code = child.stop();
  if (stop || code == 0) return;
  throw kubectl_failure("watch " + path, {.exit_code = code, .out = "", .err = child.err()});
}

}  // namespace cxtm::kube
