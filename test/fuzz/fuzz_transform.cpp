// Any JSON as a Deployment read from the cluster. instrument_deployment either instruments it
// or throws cxtm::Error; when it instruments, rollback --exact (restore from the stripped
// original) gives back the original pod template exactly, and the default rollback
// (undo_instrumentation) leaves nothing of the tool's.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/python_packages.h"
#include "core/error.h"
#include "core/json.h"
#include "instrument/env_merge.h"
#include "instrument/owned.h"
#include "instrument/transform.h"

namespace {

cxtm::instrument::InstrumentationSpec fuzz_spec() {
  cxtm::instrument::InstrumentationSpec spec;
  spec.service_name = "cxtm-scheduler";
  spec.otlp_endpoint = "http://otel-collector.default.svc:4318";
  spec.environment = "cxtm-poc";
  spec.service_namespace = "default";
  spec.packages = cxtm::config::python_packages();
  spec.init_requests = {"100m", "256Mi"};
  spec.init_limits = {"1", "512Mi"};
  return spec;
}

const cxtm::Json* pod_template(const cxtm::Json& deployment) {
  const auto spec = deployment.find("spec");
  if (spec == deployment.end() || !spec->is_object()) return nullptr;
  const auto found = spec->find("template");
  return found == spec->end() ? nullptr : &*found;
}

// Whether any container sets a variable the tool owns.
bool has_owned_env(const cxtm::Json& deployment) {
  const cxtm::Json& containers =
      cxtm::member_at(deployment, {"spec", "template", "spec", "containers"});
  if (!containers.is_array()) return false;
  for (const cxtm::Json& container : containers) {
    if (!cxtm::instrument::owned_entries(cxtm::member(container, "env")).empty()) return true;
  }
  return false;
}

// The object's member `key` taken out when it is an empty map.
void drop_empty_map(cxtm::Json& object, const char* key) {
  const auto found = object.find(key);
  if (found != object.end() && found->is_object() && found->empty()) object.erase(found);
}

// The object's empty annotations and labels taken out, then its metadata if that leaves it empty.
void drop_empty_metadata(cxtm::Json& object) {
  const auto metadata = object.find("metadata");
  if (metadata == object.end() || !metadata->is_object()) return;
  drop_empty_map(*metadata, "annotations");
  drop_empty_map(*metadata, "labels");
  drop_empty_map(object, "metadata");
}

// The Deployment as the API server would give it back: an empty map and none at all mean the same
// to Kubernetes, which omits empty ones (omitempty), so a read never shows `annotations: {}`. The
// undo gives back none where the tool's record was all there was.
cxtm::Json as_read_back(cxtm::Json deployment) {
  drop_empty_metadata(deployment);
  const auto spec = deployment.find("spec");
  if (spec == deployment.end() || !spec->is_object()) return deployment;
  const auto found = spec->find("template");
  if (found != spec->end() && found->is_object()) drop_empty_metadata(*found);
  return deployment;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cxtm::instrument;
  const cxtm::Json original = cxtm::Json::parse(
      std::string_view(reinterpret_cast<const char*>(data), size), nullptr, false);
  if (original.is_discarded()) return 0;
  static const InstrumentationSpec spec = fuzz_spec();
  try {
    (void)detect_state(original, spec);
    const Transformed done = instrument_deployment(original, spec, "0.0.0-fuzz", Force::yes);
    if (detect_state(done.deployment, spec) != State::current) std::abort();
    const cxtm::Json restored = restore_deployment(done.deployment, strip_for_backup(original));
    const cxtm::Json* before = pod_template(original);
    const cxtm::Json* after = pod_template(restored);
    if ((before == nullptr) != (after == nullptr)) std::abort();
    if (before != nullptr && *before != *after) std::abort();
    // The default rollback leaves none of the tool's markers, and gives back exactly a
    // Deployment that had nothing with the tool's names.
    const Undone undone = undo_instrumentation(done.deployment);
    if (instrumented_by_us(undone.deployment) || !owned_parts(undone.deployment).empty()) {
      std::abort();
    }
    if (!instrumented_by_us(original) && owned_parts(original).empty() &&
        !has_owned_env(original) && as_read_back(undone.deployment) != as_read_back(original)) {
      std::abort();
    }
  } catch (const cxtm::Error&) {
  }
  return 0;
}
