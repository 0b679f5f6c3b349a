#include "instrument/drift.h"

#include <fmt/core.h>

#include "instrument/object_edit.h"
#include "instrument/owned.h"
#include "instrument/transform.h"

namespace cxtm::instrument {

std::vector<std::string> instrumentation_drift(const Json& deployment) {
  if (!instrumented_by_us(deployment)) return {};
  std::vector<std::string> drift;
  const Json& pod = member_at(deployment, {"spec", "template", "spec"});
  if (find_named(member(pod, "initContainers"), kInitContainerName) == npos) {
    drift.push_back(
        fmt::format("init container {} removed since instrumenting", kInitContainerName));
  }
  if (find_named(member(pod, "volumes"), kVolumeName) == npos) {
    drift.push_back(fmt::format("volume {} removed since instrumenting", kVolumeName));
  }
  for (auto& note : undo_instrumentation(deployment).left_alone) drift.push_back(std::move(note));
  const auto record = read_env_record(deployment);
  if (record && !record->image.empty()) {
    const size_t app = find_named(member(pod, "containers"), record->container);
    const std::string now = app == npos ? "" : string_member(pod["containers"][app], "image");
    if (app != npos && now != record->image) {
      drift.push_back(fmt::format("container {}: image changed since instrumenting: {} -> {}",
                                  record->container, record->image, now));
    }
  }
  return drift;
}

}  // namespace cxtm::instrument
