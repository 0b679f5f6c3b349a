#include "validate/verdict.h"

#include <fmt/core.h>
#include <fmt/format.h>

#include "instrument/object_edit.h"
#include "rollout/unscheduled.h"

namespace cxtm::validate {

void fail_uncovered_nodes(Verdict& verdict,
                          const std::map<std::string, std::vector<std::string>>& uncovered) {
  for (const auto& [node, pods_there] : uncovered) {
    verdict.fail(fmt::format("node {} runs no ready collector pod: the spans of {} are lost (the "
                             "collector Service sends a pod's spans to its own node only)",
                             node, fmt::join(pods_there, ", ")),
                 std::string(rollout::kCollectorPlacementRemedy));
  }
}

const Json* container_status(const Json& pod, std::string_view list, std::string_view name) {
  const Json& statuses = member(member(pod, "status"), list);
  const size_t at = instrument::find_named(statuses, name);
  return at == instrument::npos ? nullptr : &statuses[at];
}

}  // namespace cxtm::validate
