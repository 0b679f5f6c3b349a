#pragma once
// The parts of a Deployment the tool owns once it has instrumented it: its init container,
// volumes and mount, the annotations, and the app container's variables it set. Finding them
// and taking them out again.

#include <optional>
#include <string>
#include <vector>

#include "core/json.h"

namespace cxtm::instrument {

// "Deployment <namespace>/<name>" (ObjectRef::describe), for messages; the kind defaults to
// Deployment, as for a manifest that does not say.
std::string deployment_label(const Json& deployment);

// spec.template.spec; throws Error(usage) naming the Deployment when it has no containers.
const Json& pod_spec(const Json& deployment);

// What the tool did to the app container, as the pod template records it: the app's own
// entries for the owned variables as they were, the entries the tool wrote in their place, and
// the container's image then. A record written before the tool kept `set` and `image` has them
// null and "".
struct EnvRecord {
  std::string container;
  Json env = Json::array();
  Json set = nullptr;
  std::string image;
};

// The pod template's record, or nullopt when it has none (or an unreadable one).
std::optional<EnvRecord> read_env_record(const Json& deployment);

// The annotation text for record.
std::string env_record_text(const EnvRecord& record);

// The one answer to "did this tool instrument it": its spec-hash annotation or its record is on it.
bool instrumented_by_us(const Json& deployment);

// The tool's annotations (cxtm-o11y.io/...) on the Deployment and on its pod template, as
// {"deployment": {...}, "template": {...}}: what says which change of the tool it carries.
Json tool_markers(const Json& deployment);

// The tool's names found in the pod template ("init container otel-auto-instrumentation",
// "volume otel-pip-tmp", "volume mount otel-auto-instrumentation in container app").
std::vector<std::string> owned_parts(const Json& deployment);

// deployment without the parts the tool adds under its own names: the annotations, the record,
// the init containers, volumes and mounts. The environment is left as it is.
Json remove_owned_parts(const Json& deployment);

// Undoing exactly what the tool did, on the Deployment as it is now.
struct Undone {
  Json deployment;
  std::vector<std::string> left_alone;  // what the tool cannot attribute, named, left as it is
};

// remove_owned_parts, and the app container's environment put back per the record
// (unmerge_env): any change made since by someone else stays. Without a record (not the tool's,
// or the record taken out since), the environment is left as it is, and named when the tool's
// annotations say it was instrumented.
Undone undo_instrumentation(const Json& deployment);

// undo_instrumentation's Deployment.
Json remove_owned(const Json& deployment);

}  // namespace cxtm::instrument
