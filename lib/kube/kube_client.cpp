#include "kube/kube_client.h"

#include <thread>

namespace cxtm::kube {

std::vector<std::optional<Json>> KubeClient::get_each(const std::vector<ObjectRef>& refs) {
  std::vector<std::optional<Json>> objects;
  objects.reserve(refs.size());
  for (const auto& ref : refs) objects.push_back(get(ref));
  return objects;
}

Json access_review(const AccessQuery& query) {
  const auto dot = query.resource.find('.');
  Json attributes = {{"verb", query.verb},
                     {"resource", query.resource.substr(0, dot)},
                     {"group", dot == std::string::npos ? "" : query.resource.substr(dot + 1)}};
  if (!query.subresource.empty()) attributes["subresource"] = query.subresource;
  if (!query.namespace_.empty()) attributes["namespace"] = query.namespace_;
  if (!query.name.empty()) attributes["name"] = query.name;
  return {{"apiVersion", "authorization.k8s.io/v1"},
          {"kind", "SelfSubjectAccessReview"},
          {"spec", {{"resourceAttributes", attributes}}}};
}

const KubeError* first_failure(const std::vector<WriteOutcome>& outcomes) {
  const KubeError* first = nullptr;
  for (const auto& outcome : outcomes) {
    if (!outcome.failure) continue;
    if (!outcome.unanswered) return &*outcome.failure;
    if (first == nullptr) first = &*outcome.failure;
  }
  return first;
}

std::vector<WriteOutcome> write_each(const std::vector<Json>& objects,
                                     const std::function<Json(const Json&)>& write) {
  std::vector<WriteOutcome> outcomes;
  outcomes.reserve(objects.size());
  for (const auto& object : objects) {
    try {
      outcomes.push_back({.stored = write(object), .failure = {}});
    } catch (const KubeError& error) {
      outcomes.push_back({.stored = std::nullopt, .failure = error});
    }
  }
  return outcomes;
}

std::vector<WriteOutcome> KubeClient::apply_each(const std::vector<Json>& objects, DryRun dry_run,
                                                 std::string_view field_manager) {
  return write_each(objects,
                    [&](const Json& object) { return apply(object, dry_run, field_manager); });
}

void KubeClient::await_change(const ObjectRef&, Duration at_most) {
  std::this_thread::sleep_for(at_most);
}

void KubeClient::read_in_bulk(std::string_view, const std::string&, bool) {}

Json KubeClient::managed_fields(const ObjectRef& ref) {
  const auto object = get(ref);
  if (!object) return Json::array();
  Json fields = array_member(object_member(*object, "metadata"), "managedFields");
  return fields;
}

}  // namespace cxtm::kube
