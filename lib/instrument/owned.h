#pragma once
// The parts of a Deployment the tool owns once it has instrumented it: its init container,
// volumes and mount, the annotations, and the app container's variables it set. Finding them
// and taking them out again.

#include <optional>
#include <string>
#include <vector>

#include "core/json.h"

namespace cxtm::instrument {

// "Deployment <namespace>/<name>", for messages.
std::string deployment_label(const Json& deployment);

// spec.template.spec; throws Error(usage) naming the Deployment when it has no containers.
const Json& pod_spec(const Json& deployment);

// The app container's own entries for the owned variables, as the pod template records them.
struct EnvRecord {
  std::string container;
  Json env = Json::array();
};

// The pod template's record, or nullopt when it has none (or an unreadable one).
std::optional<EnvRecord> read_env_record(const Json& deployment);

// The annotation text for record.
std::string env_record_text(const EnvRecord& record);

// Whether this tool instrumented deployment: the spec-hash annotation or the pod template's
// record is there.
bool instrumented_by_us(const Json& deployment);

// The tool's annotations (cxtm-o11y.io/...) on the Deployment and on its pod template, as
// {"deployment": {...}, "template": {...}}: what says which change of the tool it carries.
Json tool_markers(const Json& deployment);

// The tool's names found in the pod template ("init container otel-auto-instrumentation",
// "volume otel-pip-tmp", "volume mount otel-auto-instrumentation in container app").
std::vector<std::string> owned_parts(const Json& deployment);

// deployment with everything the tool adds taken out: annotations, record, init container,
// volumes, mounts, and (per the record) the app container's variables put back as they were.
Json remove_owned(const Json& deployment);

}  // namespace cxtm::instrument
