#include "kube/kubectl_client.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "core/error.h"
#include "core/text.h"
#include "kube/batch_writer.h"
#include "kube/kubectl_errors.h"

namespace cxtm::kube {
namespace {

void add_namespace(std::vector<std::string>& arguments, std::string_view namespace_) {
  if (!namespace_.empty()) {
    arguments.emplace_back("--namespace");
    arguments.emplace_back(namespace_);
  }
}

Json parse_output(std::string_view action, const std::string& text) {
  try {
    return Json::parse(text);
  } catch (const Json::exception&) {
    throw Error(ExitCode::kubectl, fmt::format("kubectl {}: output is not JSON", action));
  }
}

// The objects a `kubectl get -o json` of several names printed: per document, the object itself
// (one found) or a List of them.
std::vector<Json> objects_printed(std::string_view action, const std::string& text) {
  std::vector<Json> objects;
  for (const auto& document : json_documents(text)) {
    Json answer = parse_output(action, document);
    if (answer.value("kind", "") != "List") {
      objects.push_back(std::move(answer));
      continue;
    }
    for (Json& item : answer["items"]) objects.push_back(std::move(item));
  }
  return objects;
}

// Server-side apply of what stdin holds as field_manager, taking over conflicting fields.
std::vector<std::string> apply_arguments(std::string_view field_manager, DryRun dry_run) {
  std::vector<std::string> arguments = {"apply",
                                        "--server-side",
                                        "--field-manager=" + std::string(field_manager),
                                        "--force-conflicts",
                                        "--output=json",
                                        "--filename=-"};
  if (dry_run == DryRun::server) arguments.emplace_back("--dry-run=server");
  return arguments;
}

// Objects as one List document, for a kubectl run that writes them all.
std::string as_list(const std::vector<Json>& objects) {
  return Json{{"apiVersion", "v1"}, {"kind", "List"}, {"items", objects}}.dump();
}

// Replaces are recorded as the tool's in managedFields (kubectl's default: kubectl-replace), so
// that `status` can tell the tool's writes from those of Argo CD, Flux or kubectl apply.
std::vector<std::string> replace_arguments() {
  return {"replace", "--field-manager=" + std::string(kFieldManager), "--output=json",
          "--filename=-"};
}

}  // namespace

Json for_update(Json object) {
  object.erase("status");
  if (object.contains("metadata") && object["metadata"].is_object()) {
    object["metadata"].erase("managedFields");
  }
  return object;
}

KubectlClient::KubectlClient(KubectlOptions options)
    : options_(std::move(options)),
      processes_(std::make_shared<std::counting_semaphore<>>(std::max(1, options_.max_processes))) {
}

std::vector<std::string> KubectlClient::command(const std::vector<std::string>& arguments) const {
  std::vector<std::string> argv = {options_.kubectl};
  if (!options_.kubeconfig.empty()) argv.push_back("--kubeconfig=" + options_.kubeconfig);
  if (!options_.context.empty()) argv.push_back("--context=" + options_.context);
  if (!options_.request_timeout.empty()) {
    argv.push_back("--request-timeout=" + options_.request_timeout);
  }
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return argv;
}

ProcessResult KubectlClient::run(const std::vector<std::string>& arguments,
                                 const std::string& stdin_data) {
  const auto argv = command(arguments);
  processes_->acquire();
  if (options_.on_command) options_.on_command(argv);
  try {
    auto result = run_process({.argv = argv, .stdin_data = stdin_data});
    processes_->release();
    return result;
  } catch (...) {
    processes_->release();
    throw;
  }
}

Json KubectlClient::run_json(std::string_view action, const std::vector<std::string>& arguments,
                             const std::string& stdin_data) {
  const auto result = run(arguments, stdin_data);
  if (result.exit_code != 0) throw kubectl_failure(action, result);
  return parse_output(action, result.out);
}

std::optional<Json> KubectlClient::get(const ObjectRef& ref) {
  std::vector<std::string> arguments = {"get", ref.kubectl_name(), "--output=json"};
  add_namespace(arguments, ref.namespace_);
  const auto result = run(arguments);
  if (result.exit_code != 0) {
    if (is_not_found(result)) return std::nullopt;
    throw kubectl_failure("get " + ref.describe(), result);
  }
  return parse_output("get " + ref.describe(), result.out);
}

std::vector<std::optional<Json>> KubectlClient::get_each(const std::vector<ObjectRef>& refs) {
  if (refs.size() <= 1) return KubeClient::get_each(refs);
  // One kubectl per namespace (kubectl's -n holds for all its names); cluster-scoped objects go
  // with the first, since -n does not apply to them. The missing ones are left out.
  std::map<std::string, std::vector<const ObjectRef*>> by_namespace;
  for (const auto& ref : refs) by_namespace[ref.namespace_].push_back(&ref);
  if (by_namespace.size() > 1 && by_namespace.contains("")) {
    auto cluster_scoped = std::move(by_namespace[""]);
    by_namespace.erase("");
    auto& first = by_namespace.begin()->second;
    first.insert(first.end(), cluster_scoped.begin(), cluster_scoped.end());
  }
  std::map<std::tuple<std::string, std::string, std::string>, Json> found;
  for (const auto& [namespace_, group] : by_namespace) {
    std::vector<std::string> arguments = {"get"};
    for (const ObjectRef* ref : group) arguments.push_back(ref->kubectl_name());
    arguments.insert(arguments.end(), {"--ignore-not-found", "--output=json"});
    add_namespace(arguments, namespace_);
    // kubectl's own error names the object it failed on; the line names the first and a count.
    const std::string action =
        group.size() == 1
            ? "get " + group.front()->describe()
            : fmt::format("get {} and {} more", group.front()->describe(), group.size() - 1);
    const auto result = run(arguments);
    if (result.exit_code != 0) throw kubectl_failure(action, result);
    for (Json& object : objects_printed(action, result.out)) {
      const ObjectRef ref = ObjectRef::of(object);
      found[{ref.kind, ref.namespace_, ref.name}] = std::move(object);
    }
  }
  std::vector<std::optional<Json>> objects;
  for (const auto& ref : refs) {
    const auto it = found.find({ref.kind, ref.namespace_, ref.name});
    objects.push_back(it == found.end() ? std::nullopt : std::optional<Json>(it->second));
  }
  return objects;
}

Json KubectlClient::managed_fields(const ObjectRef& ref) {
  // JSONPath output keeps what -o json leaves out, on every kubectl version.
  std::vector<std::string> arguments = {"get", ref.kubectl_name(),
                                        "--output=jsonpath={.metadata.managedFields}"};
  add_namespace(arguments, ref.namespace_);
  const auto result = run(arguments);
  if (result.exit_code != 0) {
    if (is_not_found(result)) return Json::array();
    throw kubectl_failure("get the managed fields of " + ref.describe(), result);
  }
  if (trim(result.out).empty()) return Json::array();
  const Json fields = parse_output("get the managed fields of " + ref.describe(), result.out);
  return fields.is_array() ? fields : Json::array();
}

std::vector<Json> KubectlClient::list(std::string_view resource, std::string_view namespace_,
                                      std::string_view label_selector) {
  std::vector<std::string> arguments = {"get", std::string(resource), "--output=json"};
  add_namespace(arguments, namespace_);
  if (!label_selector.empty()) arguments.push_back("--selector=" + std::string(label_selector));
  const Json answer = run_json(fmt::format("get {}", resource), arguments);
  const Json& items = array_member(answer, "items");
  return std::vector<Json>(items.begin(), items.end());
}

std::vector<Json> KubectlClient::get_named(std::string_view resource, std::string_view namespace_,
                                           const std::vector<std::string>& names) {
  if (names.empty()) return {};
  // One GET per name, in one kubectl; the missing ones are left out, not errors.
  std::vector<std::string> arguments = {"get", std::string(resource)};
  arguments.insert(arguments.end(), names.begin(), names.end());
  arguments.insert(arguments.end(), {"--ignore-not-found", "--output=json"});
  add_namespace(arguments, namespace_);
  const std::string action = fmt::format("get {} by name", resource);
  const auto result = run(arguments);
  if (result.exit_code != 0) throw kubectl_failure(action, result);
  return objects_printed(action, result.out);
}

Json KubectlClient::apply(const Json& object, DryRun dry_run, std::string_view field_manager) {
  return run_json("apply " + ObjectRef::of(object).describe(),
                  apply_arguments(field_manager, dry_run), object.dump());
}

std::vector<WriteOutcome> KubectlClient::apply_each(const std::vector<Json>& objects,
                                                    DryRun dry_run,
                                                    std::string_view field_manager) {
  if (objects.size() <= 1) return KubeClient::apply_each(objects, dry_run, field_manager);
  auto outcomes = batch_outcomes("apply", objects,
                                 run(apply_arguments(field_manager, dry_run), as_list(objects)));
  // An error that names no object (a 500 whose Status names nothing, no answer in time) could be
  // any object's: then those kubectl did not answer are applied again one at a time, so each
  // failure names its own object. Server-side apply may be repeated.
  const bool none_named = std::none_of(outcomes.begin(), outcomes.end(),
                                       [](const auto& o) { return o.failure && !o.unanswered; });
  for (size_t i = 0; none_named && i < objects.size(); ++i) {
    if (outcomes[i].unanswered) {
      outcomes[i] = KubeClient::apply_each({objects[i]}, dry_run, field_manager).front();
    }
  }
  return outcomes;
}

std::vector<WriteOutcome> KubectlClient::replace_all(const std::vector<Json>& objects) {
  return batch_outcomes("replace", objects, run(replace_arguments(), as_list(objects)));
}

std::vector<WriteOutcome> KubectlClient::apply_all(const std::vector<Json>& objects,
                                                   std::string_view field_manager) {
  return batch_outcomes("apply", objects,
                        run(apply_arguments(field_manager, DryRun::none), as_list(objects)));
}

Json KubectlClient::replace(const Json& object) {
  return run_json("replace " + ObjectRef::of(object).describe(), replace_arguments(),
                  object.dump());
}

bool KubectlClient::remove(const ObjectRef& ref) {
  std::vector<std::string> arguments = {"delete", ref.kubectl_name(), "--wait=false"};
  add_namespace(arguments, ref.namespace_);
  const auto result = run(arguments);
  if (result.exit_code == 0) return true;
  if (is_not_found(result)) return false;
  throw kubectl_failure("delete " + ref.describe(), result);
}

std::string KubectlClient::logs(std::string_view namespace_, std::string_view pod,
                                std::string_view container, int tail_lines, bool previous) {
  std::vector<std::string> arguments = {"logs", std::string(pod),
                                        "--tail=" + std::to_string(tail_lines)};
  if (!container.empty()) arguments.push_back("--container=" + std::string(container));
  if (previous) arguments.emplace_back("--previous");
  add_namespace(arguments, namespace_);
  const auto result = run(arguments);
  if (result.exit_code != 0) {
    throw kubectl_failure(fmt::format("logs {}/{}", namespace_, pod), result);
  }
  return result.out;
}

std::string KubectlClient::log_head(std::string_view namespace_, std::string_view pod,
                                    std::string_view container, int max_bytes) {
  std::vector<std::string> arguments = {"logs", std::string(pod), "--timestamps",
                                        "--limit-bytes=" + std::to_string(max_bytes)};
  if (!container.empty()) arguments.push_back("--container=" + std::string(container));
  add_namespace(arguments, namespace_);
  const auto result = run(arguments);
  if (result.exit_code != 0) {
    throw kubectl_failure(fmt::format("logs {}/{}", namespace_, pod), result);
  }
  return result.out;
}

void lower_request_timeout(KubectlOptions& options, Duration limit) {
  const auto current = parse_duration(options.request_timeout);
  if (limit.count() > 0 && (!current || current->count() <= 0 || limit < *current)) {
    // format_duration drops a fraction of a second; kubectl also takes "1500ms".
    options.request_timeout = limit % std::chrono::seconds(1) == Duration(0)
                                  ? format_duration(limit)
                                  : std::to_string(limit.count()) + "ms";
  }
}

void KubectlClient::limit_request_time(Duration limit) {
  lower_request_timeout(options_, limit);
}

bool KubectlClient::serves(std::string_view group_version, std::string_view resource) {
  const std::string path = fmt::format("/apis/{}", group_version);
  const auto result = run({"get", "--raw", path});
  if (result.exit_code != 0) {
    if (is_not_found(result)) return false;
    throw kubectl_failure("get " + path, result);
  }
  const Json resources = parse_output("get " + path, result.out);
  for (const Json& entry : array_member(resources, "resources")) {
    if (entry.value("name", "") == resource) return true;
  }
  return false;
}

std::vector<bool> KubectlClient::can_i(const std::vector<AccessQuery>& queries) {
  if (queries.empty()) return {};
  // One `kubectl create` of a List of reviews instead of a `kubectl auth can-i` per question:
  // each kubectl start costs a discovery round trip.
  Json items = Json::array();
  for (const auto& query : queries) items.push_back(access_review(query));
  const Json list = {{"apiVersion", "v1"}, {"kind", "List"}, {"items", items}};
  const std::string action = "create SelfSubjectAccessReview";
  const auto result = run({"create", "--output=json", "--filename=-"}, list.dump());
  if (result.exit_code != 0) throw kubectl_failure(action, result);
  // kubectl prints one JSON document per object it created, one after the other.
  Json reviews = Json::array();
  for (const auto& document : json_documents(result.out)) {
    const Json review = parse_output(action, document);
    if (const Json& items = member(review, "items"); items.is_array()) {
      for (const Json& item : items) reviews.push_back(item);
    } else {
      reviews.push_back(review);
    }
  }
  if (reviews.size() != queries.size()) {
    throw Error(ExitCode::api_error,
                "kubectl create SelfSubjectAccessReview: the answer does not hold one review per "
                "question");
  }
  std::vector<bool> allowed;
  for (const Json& review : reviews) {
    allowed.push_back(object_member(review, "status").value("allowed", false));
  }
  return allowed;
}

}  // namespace cxtm::kube
