#include "actions/collector_plan.h"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>

#include "config/access_token.h"
#include "core/error.h"
#include "kube/object_diff.h"
#include "lint/collector_lint.h"

namespace cxtm::actions {
namespace {

void refuse_lint_errors(const config::Config& config, const std::string& collector_config) {
  const auto findings =
      lint::lint_collector_config(collector_config, "relay.yaml", {.realm = config.splunk.realm});
  if (!lint::has_errors(findings)) return;
  const auto first = std::find_if(findings.begin(), findings.end(), [](const lint::Finding& f) {
    return f.severity == lint::Severity::error;
  });
  throw Error(ExitCode::failed,
              fmt::format("the rendered collector config fails lint, nothing was applied: {}",
                          lint::format_finding(*first)));
}

void require_token_secret(Context& context) {
  const auto& token = context.config.splunk.access_token;
  const kube::ObjectRef ref{"v1", "Secret", context.config.collector.namespace_, token.secret};
  const auto secret = context.kube.get(ref);
  const std::string remedy =
      token.env.empty() ? "create it"
                        : fmt::format("export {} to have it created, or create it", token.env);
  if (!secret) {
    throw Error(ExitCode::not_found,
                fmt::format("{} not found and no token supplied: {} with key {}", ref.describe(),
                            remedy, token.key));
  }
  const Json& data = secret->contains("data") ? (*secret)["data"] : Json::object();
  if (!data.is_object() || !data.contains(token.key)) {
    throw Error(ExitCode::not_found, fmt::format("{} has no key {}: {} with that key",
                                                 ref.describe(), token.key, remedy));
  }
}

// The API server's view of the object after our apply; for an object in a namespace we are
// about to create, the server cannot dry-run it, so the rendered object stands in.
Json proposed_object(Context& context, const Json& desired, bool namespace_pending) {
  if (namespace_pending && !kube::ObjectRef::of(desired).namespace_.empty()) return desired;
  return context.kube.apply(desired, kube::DryRun::server);
}

bool being_deleted(const Json& object) {
  return object.contains("metadata") && object["metadata"].is_object() &&
         object["metadata"].contains("deletionTimestamp");
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
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

std::string display_name(const kube::ObjectRef& ref) {
  const auto slash = ref.api_version.find('/');
  const std::string group =
      slash == std::string::npos ? "" : "." + ref.api_version.substr(0, slash);
  return fmt::format("{}{}/{}", lower(ref.kind), group, ref.name);
}

CollectorPlan plan_collector(Context& context) {
  const auto token = config::access_token_from_env(context.config);
  CollectorPlan plan{.manifests = render::render_manifests(context.config, token),
                     .token_supplied = token.has_value()};
  refuse_lint_errors(context.config, plan.manifests.collector_config);

  bool namespace_pending = false;
  for (const auto& rendered : plan.manifests.objects) {
    PlannedObject object{.ref = kube::ObjectRef::of(rendered.object), .desired = rendered.object};
    // In a namespace on its way out (a collector delete just before), everything goes with it
    // and is created anew once it is gone.
    if (!(namespace_pending && !object.ref.namespace_.empty())) {
      object.live = context.kube.get(object.ref);
    }
    if (object.ref.kind == "Namespace" && object.live && being_deleted(*object.live)) {
      object.live.reset();
      plan.namespace_terminating = true;
    }
    if (object.ref.kind == "Namespace" && !object.live) namespace_pending = true;
    const Json proposed = proposed_object(context, rendered.object, namespace_pending);
    object.diff = kube::object_diff(display_name(object.ref), object.live, proposed);
    object.change = !object.live          ? Change::created
                    : object.diff.empty() ? Change::unchanged
                                          : Change::configured;
    plan.objects.push_back(std::move(object));
  }
  // Also when the namespace is still to be created: no Secret can be there yet, and a collector
  // deployed without one would only wait in CreateContainerConfigError.
  if (!token) require_token_secret(context);
  return plan;
}

}  // namespace cxtm::actions
