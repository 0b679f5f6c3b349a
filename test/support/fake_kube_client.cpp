#include "support/fake_kube_client.h"

#include <fmt/core.h>

#include "fixtures/kube_selectors.h"

namespace cxtm::testing {
namespace {

// The kind a kubectl resource name ("deployments.apps", "pods") lists.
std::string kind_of_resource(std::string_view resource) {
  static const std::map<std::string, std::string, std::less<>> kinds{
      {"pods", "Pod"},
      {"nodes", "Node"},
      {"services", "Service"},
      {"configmaps", "ConfigMap"},
      {"secrets", "Secret"},
      {"deployments.apps", "Deployment"},
      {"replicasets.apps", "ReplicaSet"},
      {"daemonsets.apps", "DaemonSet"},
      {"statefulsets.apps", "StatefulSet"}};
  const auto found = kinds.find(resource);
  if (found == kinds.end()) {
    throw kube::KubeError(ExitCode::api_error,
                          fmt::format("the fake client does not know resource '{}'", resource),
                          kube::FailureKind::refused);
  }
  return found->second;
}

std::string describe(std::string_view verb, const Json& object) {
  return fmt::format("{} {}", verb, kube::ObjectRef::of(object).describe());
}

}  // namespace

void FakeKubeClient::put(Json object) {
  std::lock_guard lock(mutex_);
  store(std::move(object));
}

std::optional<Json> FakeKubeClient::stored(std::string_view kind, std::string_view namespace_,
                                           std::string_view name) const {
  std::lock_guard lock(mutex_);
  return find({.kind = std::string(kind),
               .namespace_ = std::string(namespace_),
               .name = std::string(name)});
}

std::optional<Json> FakeKubeClient::find(const kube::ObjectRef& ref) const {
  const auto found = objects_.find({ref.kind, ref.namespace_, ref.name});
  if (found == objects_.end()) return std::nullopt;
  return found->second;
}

void FakeKubeClient::fail(KubeCall call, const kube::KubeError& error, int times,
                          FailureStrikes strikes) {
  std::lock_guard lock(mutex_);
  failures_.push_back({call, error, times, strikes});
}

int FakeKubeClient::calls(KubeCall call) const {
  std::lock_guard lock(mutex_);
  const auto found = calls_.find(call);
  return found == calls_.end() ? 0 : found->second;
}

std::optional<FakeKubeClient::Failure> FakeKubeClient::due_failure(KubeCall call) {
  ++calls_[call];
  for (auto& failure : failures_) {
    if (failure.call != call || failure.times == 0) continue;
    --failure.times;
    return failure;
  }
  return std::nullopt;
}

Json FakeKubeClient::store(Json object) {
  const auto ref = kube::ObjectRef::of(object);
  // metadata.generation counts changes of the spec, as the API server keeps it: 1 at creation.
  const auto current = find(ref);
  long long generation = object["metadata"].value("generation", 1LL);
  if (current) {
    generation = (*current)["metadata"].value("generation", 1LL);
    if (object.value("spec", Json(nullptr)) != current->value("spec", Json(nullptr))) ++generation;
  }
  object["metadata"]["generation"] = generation;
  object["metadata"]["resourceVersion"] = std::to_string(++revision_);
  objects_[{ref.kind, ref.namespace_, ref.name}] = object;
  return object;
}

std::optional<Json> FakeKubeClient::get(const kube::ObjectRef& ref) {
  std::lock_guard lock(mutex_);
  if (const auto failure = due_failure(KubeCall::get)) throw failure->error;
  return find(ref);
}

std::vector<Json> FakeKubeClient::list(std::string_view resource, std::string_view namespace_,
                                       std::string_view label_selector) {
  std::lock_guard lock(mutex_);
  if (const auto failure = due_failure(KubeCall::list)) throw failure->error;
  const std::string kind = kind_of_resource(resource);
  const auto selector = kubefake::parse_label_selector(label_selector);
  std::vector<Json> found;
  for (const auto& [key, object] : objects_) {
    if (std::get<0>(key) != kind) continue;
    if (!namespace_.empty() && std::get<1>(key) != namespace_) continue;
    if (kubefake::matches(selector, object["metadata"].value("labels", Json(nullptr)))) {
      found.push_back(object);
    }
  }
  return found;
}

std::vector<Json> FakeKubeClient::get_named(std::string_view resource, std::string_view namespace_,
                                            const std::vector<std::string>& names) {
  std::lock_guard lock(mutex_);
  if (const auto failure = due_failure(KubeCall::get_named)) throw failure->error;
  const std::string kind = kind_of_resource(resource);
  std::vector<Json> found;
  for (const auto& name : names) {
    const kube::ObjectRef ref{.kind = kind, .namespace_ = std::string(namespace_), .name = name};
    if (auto object = find(ref)) found.push_back(std::move(*object));
  }
  return found;
}

Json FakeKubeClient::apply(const Json& object, kube::DryRun dry_run, std::string_view) {
  std::lock_guard lock(mutex_);
  const auto failure = due_failure(KubeCall::apply);
  writes_.push_back(describe("apply", object) +
                    (dry_run == kube::DryRun::server ? " (dry run)" : ""));
  if (failure && failure->strikes == FailureStrikes::before) throw failure->error;
  const auto ref = kube::ObjectRef::of(object);
  Json applied = object;
  if (const auto current = find(ref)) {
    Json metadata = (*current)["metadata"];
    metadata.update(object["metadata"]);
    applied["metadata"] = metadata;
  }
  if (dry_run == kube::DryRun::server) return applied;
  applied = store(std::move(applied));
  if (failure) throw failure->error;
  return applied;
}

Json FakeKubeClient::replace(const Json& object) {
  std::lock_guard lock(mutex_);
  const auto failure = due_failure(KubeCall::replace);
  writes_.push_back(describe("replace", object));
  if (failure && failure->strikes == FailureStrikes::before) throw failure->error;
  const auto ref = kube::ObjectRef::of(object);
  const auto current = find(ref);
  if (!current) {
    throw kube::KubeError(ExitCode::not_found, fmt::format("{} not found", ref.describe()),
                          kube::FailureKind::refused);
  }
  const std::string precondition = object["metadata"].value("resourceVersion", "");
  if (!precondition.empty() && precondition != (*current)["metadata"]["resourceVersion"]) {
    throw kube::KubeError(ExitCode::conflict,
                          fmt::format("Operation cannot be fulfilled on {}: the object has "
                                      "been modified; please apply your changes to the latest "
                                      "version and try again",
                                      ref.describe()),
                          kube::FailureKind::refused);
  }
  Json replaced = store(object);
  if (failure) throw failure->error;
  return replaced;
}

bool FakeKubeClient::remove(const kube::ObjectRef& ref) {
  std::lock_guard lock(mutex_);
  const auto failure = due_failure(KubeCall::remove);
  writes_.push_back(fmt::format("delete {}", ref.describe()));
  if (failure && failure->strikes == FailureStrikes::before) throw failure->error;
  const bool existed = objects_.erase({ref.kind, ref.namespace_, ref.name}) > 0;
  if (failure) throw failure->error;
  return existed;
}

}  // namespace cxtm::testing
