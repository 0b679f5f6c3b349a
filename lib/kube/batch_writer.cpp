#include "kube/batch_writer.h"

#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "core/text.h"
#include "kube/kubectl_errors.h"

namespace cxtm::kube {
namespace {

using Key = std::tuple<std::string, std::string, std::string>;  // kind, namespace, name

Key key_of(const Json& object) {
  const Json metadata = object.value("metadata", Json::object());
  return {object.value("kind", ""), metadata.value("namespace", ""), metadata.value("name", "")};
}

bool is_name_boundary(char c) {
  return c == '"' || c == '\'' || c == ' ' || c == '/' || c == '(' || c == ')' || c == ':' ||
         c == ',';
}

// Whether line names `name` as a word of its own ("deployments.apps \"svc-1\"", "(put
// deployments.apps svc-1)"), so svc-1 is not found in svc-10.
bool names(std::string_view line, std::string_view name) {
  if (name.empty()) return false;
  for (size_t at = line.find(name); at != std::string_view::npos; at = line.find(name, at + 1)) {
    const bool starts = at == 0 || is_name_boundary(line[at - 1]);
    const size_t end = at + name.size();
    const bool ends = end == line.size() || is_name_boundary(line[end]);
    if (starts && ends) return true;
  }
  return false;
}

// Whether line names the resource of kind as a word of its own ("clusterroles.rbac...",
// "on serviceaccounts \"x\"", "Kind=DaemonSet"), so a ClusterRole is not taken for the
// ClusterRoleBinding of the same name.
bool names_kind(std::string_view line, std::string_view kind) {
  if (kind.empty()) return false;
  if (names(line, "Kind=" + std::string(kind))) return true;
  const std::string resource = to_lower(kind);
  for (const std::string& plural : {resource + "s", resource + "es"}) {
    for (size_t at = line.find(plural); at != std::string_view::npos;
         at = line.find(plural, at + 1)) {
      const bool starts = at == 0 || is_name_boundary(line[at - 1]);
      const size_t end = at + plural.size();
      const bool ends = end == line.size() || is_name_boundary(line[end]) || line[end] == '.';
      if (starts && ends) return true;
    }
  }
  return false;
}

std::vector<std::string> error_lines(std::string_view text) {
  std::vector<std::string> lines;
  for (size_t at = 0; at < text.size();) {
    const size_t end = std::min(text.find('\n', at), text.size());
    const std::string_view line = text.substr(at, end - at);
    at = end + 1;
    if (!line.empty() && !line.starts_with("Warning:")) lines.emplace_back(line);
  }
  return lines;
}

}  // namespace

std::vector<std::string> json_documents(std::string_view text) {
  std::vector<std::string> documents;
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (depth++ == 0) start = i;
    } else if ((c == '}' || c == ']') && depth > 0 && --depth == 0) {
      documents.emplace_back(text.substr(start, i + 1 - start));
    }
  }
  return documents;
}

std::vector<WriteOutcome> batch_outcomes(std::string_view verb, const std::vector<Json>& objects,
                                         const ProcessResult& result) {
  std::map<Key, Json> written;
  for (const auto& document : json_documents(result.out)) {
    Json answer = Json::parse(document, nullptr, false);
    if (!answer.is_object()) continue;
    if (answer.value("kind", "") == "List" && member(answer, "items").is_array()) {
      for (Json& item : answer["items"]) {
        const Key key = key_of(item);  // before the move: Json's operator= takes its value first
        written[key] = std::move(item);
      }
    } else {
      const Key key = key_of(answer);
      written[key] = std::move(answer);
    }
  }
  // Each error line goes to the objects not written that it names by name and kind; a line that
  // gives no kind, to every one of that name.
  std::vector<std::string> naming(objects.size());
  for (const auto& line : error_lines(result.err)) {
    std::vector<size_t> by_name;
    std::vector<size_t> by_kind;
    for (size_t i = 0; i < objects.size(); ++i) {
      const Key key = key_of(objects[i]);
      if (written.contains(key) || !names(line, std::get<2>(key))) continue;
      by_name.push_back(i);
      if (names_kind(line, std::get<0>(key))) by_kind.push_back(i);
    }
    for (const size_t i : by_kind.empty() ? by_name : by_kind) naming[i] += line + "\n";
  }
  const bool any_named =
      std::any_of(naming.begin(), naming.end(), [](const auto& lines) { return !lines.empty(); });
  std::vector<WriteOutcome> outcomes;
  for (size_t i = 0; i < objects.size(); ++i) {
    const Json& object = objects[i];
    const Key key = key_of(object);
    const std::string action = fmt::format("{} {}", verb, ObjectRef::of(object).describe());
    if (const auto found = written.find(key); found != written.end()) {
      outcomes.push_back({.stored = found->second, .failure = std::nullopt});
      continue;
    }
    if (!naming[i].empty()) {
      outcomes.push_back({.stored = std::nullopt,
                          .failure = kubectl_failure(action, {.exit_code = 1, .err = naming[i]})});
    } else if (result.exit_code != 0 && written.empty() && !any_named) {
      // Nothing written and no object named: the run failed as a whole (no connection, ...).
      outcomes.push_back(
          {.stored = std::nullopt, .failure = kubectl_failure(action, result), .unanswered = true});
    } else {
      // kubectl prints nothing once any object failed: this one may well have been written.
      outcomes.push_back(
          {.stored = std::nullopt,
           .failure = KubeError(ExitCode::api_error,
                                fmt::format("kubectl {}: no answer for this object", action),
                                FailureKind::unknown),
           .unanswered = true});
    }
  }
  return outcomes;
}

}  // namespace cxtm::kube
