#include "actions/operator_setup.h"

#include <fmt/core.h>

#include "core/error.h"
#include "instrument/object_edit.h"
#include "instrument/operator_injection.h"

namespace cxtm::actions {
namespace {

kube::ObjectRef instrumentation_ref(const std::string& namespace_) {
  return {std::string(instrument::kInstrumentationApiVersion),
          std::string(instrument::kInstrumentationKind), namespace_,
          std::string(instrument::kInstrumentationName)};
}

// Whether the pod template asks for the tool's Instrumentation: by its name, or by "true"
// (the namespace's only one).
bool asks_for_ours(const Json& workload) {
  if (!instrument::asks_operator(workload)) return false;
  const std::string value = string_member(instrument::template_annotations(workload),
                                          instrument::kAnnotationInjectPython);
  const std::string namespace_ = string_member(member(workload, "metadata"), "namespace");
  return value == "true" || value == instrument::kInstrumentationName ||
         value == fmt::format("{}/{}", namespace_, instrument::kInstrumentationName);
}

}  // namespace

InstrumentationOutcome OperatorSetup::ensure(const instrument::InstrumentationSpec& spec,
                                             const std::string& namespace_) {
  const Json desired = instrument::instrumentation_resource(spec, namespace_);
  const std::lock_guard lock(mutex_);
  if (!served_) {
    const std::string group_version(instrument::kInstrumentationApiVersion);
    served_ = kube_.serves(group_version, "instrumentations");
  }
  if (!*served_) {
    throw Error(ExitCode::not_found,
                fmt::format("--via operator: the API server does not serve {} "
                            "(instrumentations): the OpenTelemetry Operator is not installed, or "
                            "not this version; install it, or instrument without --via operator",
                            instrument::kInstrumentationApiVersion));
  }
  if (const auto found = done_.find(namespace_); found != done_.end()) {
    if (!same_json(found->second.desired["spec"], desired["spec"])) {
      throw Error(ExitCode::usage,
                  fmt::format("namespace {}: its services want different Instrumentations "
                              "(operator_image, endpoint or environment differ), and the tool "
                              "keeps one per namespace",
                              namespace_));
    }
    if (found->second.error) std::rethrow_exception(found->second.error);
    return {false, ""};  // the first service of the namespace reported it
  }
  Done& done = done_[namespace_];
  done.desired = desired;
  try {
    done.outcome = write(desired);
  } catch (...) {
    done.error = std::current_exception();
    throw;
  }
  return done.outcome;
}

InstrumentationOutcome OperatorSetup::write(const Json& desired) {
  const auto ref = kube::ObjectRef::of(desired);
  const auto live = kube_.get(ref);
  // The Operator's own webhook fills in defaults (other languages' images, resources): only
  // what the tool sets counts.
  if (live && json_covers(*live, desired)) return {false, ""};
  kube_.apply(desired, dry_run_ ? kube::DryRun::server : kube::DryRun::none, kube::kFieldManager);
  const std::string verb = live ? "updated" : "created";
  return {true, fmt::format("{} {}{}", ref.describe(), verb, dry_run_ ? " (dry run)" : "")};
}

std::string remove_unused_instrumentation(kube::KubeClient& kube, const std::string& namespace_,
                                          const std::vector<std::string>& workloads, bool dry_run) {
  const auto ref = instrumentation_ref(namespace_);
  if (!kube.serves(std::string(instrument::kInstrumentationApiVersion), "instrumentations")) {
    return "";
  }
  for (const std::string& resource : workloads) {
    for (const Json& workload : kube.list(resource, namespace_, "")) {
      if (asks_for_ours(workload)) return "";
    }
  }
  const auto live = kube.get(ref);
  if (!live) return "";
  // Only the tool's own: one someone else made under that name stays.
  if (string_member(object_member(object_member(*live, "metadata"), "labels"),
                    "app.kubernetes.io/managed-by") != "cxtm-o11y") {
    return "";
  }
  if (!dry_run) kube.remove(ref);
  return fmt::format("{} {}: no workload asks for it any more", ref.describe(),
                     dry_run ? "would be deleted" : "deleted");
}

void clean_up_instrumentation(Context& context, const std::string& namespace_,
                              ServiceResult& result) {
  try {
    std::string removed = remove_unused_instrumentation(
        context.kube, namespace_, context.config.workload_resources(namespace_), false);
    if (!removed.empty()) result.notes.push_back(std::move(removed));
  } catch (const Error& error) {
    result.warnings.push_back(fmt::format("the tool's Instrumentation in namespace {} stays: {}",
                                          namespace_, error.what()));
  }
}

}  // namespace cxtm::actions
