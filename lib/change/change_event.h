#pragma once
// The custom events that mark a change on Splunk's charts (issue 18): one per service a
// command changed or tried to, with the cluster, the service, the tool's version and the
// outcome as dimensions, so a chart of the service shows when it happened and how it ended.
// Pure: the events' JSON, as POST /v2/event on Splunk's ingest API takes it.

#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/json.h"

namespace cxtm::change {

// The eventType every event carries: what a chart's event overlay is filtered by.
inline constexpr std::string_view kChangeEventType = "cxtm-o11y change";

struct Change {
  std::string command;  // "instrument", "rollback", "collector deploy", ...
  std::string subject;  // the service ("scheduler"), or the collector ("otel-collector")
  std::string outcome;  // "instrumented", "rolled back", "failed", "unchanged", ...
  int exit_code = 0;
};

// The events for these changes at now_ms (milliseconds since the epoch).
Json change_events(const config::Config& config, const std::vector<Change>& changes,
                   std::string_view tool_version, long long now_ms);

}  // namespace cxtm::change
