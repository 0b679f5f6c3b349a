#include "actions/collector_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "config/access_token.h"
#include "core/error.h"
#include "kube/object_diff.h"
#include "lint/collector_lint.h"
#include "render/manifest_parts.h"
#include "render/manifests.h"

namespace cxtm::actions {
namespace {

void refuse_lint_errors(const config::Config& config, const std::string& collector_config) {
  const auto findings = lint::lint_collector_config(
      collector_config, "relay.yaml",
      {.realm = config.splunk.realm,
       .collector_version = config::parse_collector_version(config.collector.version)});
  if (!lint::has_errors(findings)) return;
  const auto first = std::find_if(findings.begin(), findings.end(), [](const lint::Finding& f) {
    return f.severity == lint::Severity::error;
  });
  throw Error(ExitCode::failed,
              fmt::format("the rendered collector config fails lint, nothing was applied: {}",
                          lint::format_finding(*first)));
}

// The Secret the collector will read its token from, which must hold the key: its token's
// checksum (render::token_checksum), for the pod template. Without one the collector would wait
// in CreateContainerConfigError.
std::string live_token_checksum(Context& context) {
  const auto& token = context.config.splunk.access_token;
  const kube::ObjectRef ref{"v1", "Secret", context.config.collector.namespace_, token.secret};
  const auto secret = context.kube.get(ref);
  const std::string remedy =
      token.external ? fmt::format(
                           "it is made by your own tooling (splunk.access_token.external in {}): "
                           "have it create it",
                           context.config.source)
      : token.env.empty() ? "create it"
                          : fmt::format("export {} to have it created, or create it", token.env);
  if (!secret) {
    throw Error(ExitCode::not_found,
                fmt::format("{} not found{}: {} with key {}", ref.describe(),
                            token.external ? "" : " and no token supplied", remedy, token.key));
  }
  const Json& data = secret->contains("data") ? (*secret)["data"] : Json::object();
  const auto value = data.is_object() ? data.find(token.key) : data.end();
  if (!data.is_object() || value == data.end() || !value->is_string() ||
      value->get_ref<const std::string&>().empty()) {
    throw Error(ExitCode::not_found, fmt::format("{} has no key {}: {} with that key",
                                                 ref.describe(), token.key, remedy));
  }
  return render::token_checksum_of_base64(value->get_ref<const std::string&>());
}

bool being_deleted(const Json& object) {
  return object_member(object, "metadata").contains("deletionTimestamp");
}

// Each rendered object with what the cluster holds of it now, all read in one go. In a
// namespace on its way out (a collector delete just before), everything goes with it and is
// created anew once it is gone.
void read_live_objects(Context& context, CollectorPlan& plan) {
  std::vector<kube::ObjectRef> refs;
  for (const auto& rendered : plan.manifests.objects) {
    refs.push_back(kube::ObjectRef::of(rendered.object));
  }
  auto live = context.kube.get_each(refs);
  bool namespace_pending = false;
  for (size_t i = 0; i < refs.size(); ++i) {
    PlannedObject object{.ref = refs[i], .desired = plan.manifests.objects[i].object};
    if (!(namespace_pending && !object.ref.namespace_.empty())) object.live = std::move(live[i]);
    if (object.ref.kind == "Namespace") {
      if (object.live && being_deleted(*object.live)) {
        object.live.reset();
        plan.namespace_terminating = true;
      }
      namespace_pending = !object.live;
      object.foreign_namespace = object.live && !render::managed_by_cxtm(*object.live);
    }
    plan.objects.push_back(std::move(object));
  }
}

// Same-named objects another installation made are not ours to overwrite (kubectl apply would
// take their fields with --force-conflicts) unless the user says so. A Namespace is only used.
void refuse_foreign_objects(const config::Config& config, const CollectorPlan& plan) {
  std::vector<std::string> foreign;
  for (const auto& object : plan.objects) {
    if (object.live && !object.foreign_namespace && !render::managed_by_cxtm(*object.live)) {
      foreign.push_back(object.ref.resource_name());
    }
  }
  if (foreign.empty()) return;
  throw Error(ExitCode::conflict,
              fmt::format("{} already exist{} without the label app.kubernetes.io/managed-by={}: "
                          "made by another installation? Nothing was applied; give the collector "
                          "another name (collector.name in {}), or take them over with --adopt",
                          fmt::join(foreign, ", "), foreign.size() == 1 ? "s" : "",
                          render::kManagedBy, config.source));
}

// An admin's object (render/manifest_parts.h) that the cluster holds as rendered: compared as
// read, never written.
bool admin_object_as_rendered(const PlannedObject& object) {
  return render::is_admin_part(render::part_of(object.desired)) && object.live &&
         json_covers(*object.live, object.desired);
}

// What writing the object takes: server-side apply is authorized as `patch` of its name, and
// when the object is new, as `create` too.
std::vector<kube::AccessQuery> write_queries(const PlannedObject& object) {
  const kube::AccessQuery patch{.verb = "patch",
                                .resource = render::admin_resource(object.ref.kind),
                                .namespace_ = object.ref.namespace_,
                                .name = object.ref.name};
  if (object.live) return {patch};
  kube::AccessQuery create = patch;
  create.verb = "create";
  create.name.clear();
  return {patch, create};
}

// An admin's object (render/manifest_parts.h) that is missing or differs can be written only
// by a user allowed to: one access review for all of them; when any is out of reach, nothing is
// written and the admin's commands are named.
void refuse_admin_objects_out_of_reach(Context& context, const CollectorPlan& plan) {
  std::vector<const PlannedObject*> gaps;
  std::vector<kube::AccessQuery> queries;
  std::vector<std::size_t> asked_for;  // the gap each query is about
  for (const auto& object : plan.objects) {
    const bool admin_part = render::is_admin_part(render::part_of(object.desired));
    if (!admin_part || object.foreign_namespace || admin_object_as_rendered(object)) continue;
    for (auto& query : write_queries(object)) {
      queries.push_back(std::move(query));
      asked_for.push_back(gaps.size());
    }
    gaps.push_back(&object);
  }
  if (gaps.empty()) return;
  const std::vector<bool> allowed = context.kube.can_i(queries);
  std::vector<bool> may_write(gaps.size(), true);
  for (std::size_t i = 0; i < queries.size(); ++i) {
    if (!allowed[i]) may_write[asked_for[i]] = false;
  }
  std::map<render::ManifestPart, std::vector<std::string>> denied;
  for (std::size_t i = 0; i < gaps.size(); ++i) {
    if (may_write[i]) continue;
    denied[render::part_of(gaps[i]->desired)].push_back(
        fmt::format("{} {}", gaps[i]->ref.resource_name(),
                    gaps[i]->live ? "differs from what cxtm-o11y renders" : "is missing"));
  }
  if (denied.empty()) return;
  std::vector<std::string> remedies;
  for (const auto& [part, objects] : denied) {
    const std::string_view them = objects.size() == 1 ? "it" : "them";
    remedies.push_back(fmt::format(
        "{}, and you may not write {}: an admin applies {} once: {}", fmt::join(objects, ", "),
        them, them, render::admin_apply_command(part, context.config.splunk.access_token.env)));
  }
  throw Error(ExitCode::forbidden,
              fmt::format("{}; nothing was applied", fmt::join(remedies, "; ")));
}

// The API server's dry run of each object against what is there, all in one go; an admin's
// object already as rendered, or a Namespace that is not ours, stays as it is without one. For
// an object in a namespace about to be created the server cannot dry-run it, so the rendered
// object stands in. The first object the server refuses stops the plan.
void compare_with_cluster(Context& context, CollectorPlan& plan) {
  std::vector<PlannedObject*> compared;
  std::vector<Json> dry_run;
  std::vector<PlannedObject*> dry_run_for;
  bool namespace_pending = false;
  for (auto& object : plan.objects) {
    if (object.ref.kind == "Namespace" && !object.live) namespace_pending = true;
    if (object.foreign_namespace || admin_object_as_rendered(object)) {
      object.change = Change::unchanged;
      continue;
    }
    compared.push_back(&object);
    if (!(namespace_pending && !object.ref.namespace_.empty())) {
      dry_run.push_back(object.desired);
      dry_run_for.push_back(&object);
    }
  }
  const auto outcomes = context.kube.apply_each(dry_run, kube::DryRun::server, kube::kFieldManager);
  if (const kube::KubeError* failed = kube::first_failure(outcomes)) throw *failed;
  std::map<const PlannedObject*, const Json*> proposed;
  for (size_t i = 0; i < outcomes.size(); ++i) proposed[dry_run_for[i]] = &*outcomes[i].stored;
  for (PlannedObject* object : compared) {
    const auto found = proposed.find(object);
    const Json& after = found == proposed.end() ? object->desired : *found->second;
    object->diff = kube::object_diff(object->ref.resource_name(), object->live, after);
    object->change = !object->live          ? Change::created
                     : object->diff.empty() ? Change::unchanged
                                            : Change::configured;
  }
}

}  // namespace

std::string_view change_name(Change change) {
  switch (change) {
    case Change::created:
      return "created";
    case Change::configured:
      return "configured";
    case Change::unchanged:
      return "unchanged";
  }
  return "unchanged";
}

bool CollectorPlan::changes_anything() const {
  return std::any_of(objects.begin(), objects.end(),
                     [](const PlannedObject& o) { return o.change != Change::unchanged; });
}

CollectorPlan plan_collector(Context& context, const PlanOptions& options) {
  const auto token = config::access_token_from_env(context.config);
  refuse_lint_errors(context.config, render::render_collector_config(context.config));
  // Also when the namespace is still to be created: no Secret can be there yet, and a collector
  // deployed without one would only wait in CreateContainerConfigError.
  const auto live_checksum =
      token ? std::nullopt : std::optional<std::string>(live_token_checksum(context));
  CollectorPlan plan{.manifests = render::render_manifests(context.config, token, live_checksum),
                     .token_supplied = token.has_value()};
  read_live_objects(context, plan);
  if (!options.adopt) refuse_foreign_objects(context.config, plan);
  refuse_admin_objects_out_of_reach(context, plan);
  compare_with_cluster(context, plan);
  return plan;
}

}  // namespace cxtm::actions
