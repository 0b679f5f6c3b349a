#include "change/change_event.h"

namespace cxtm::change {
namespace {

// Splunk's dimension values are at most 256 characters.
std::string clipped(std::string_view text) {
  return std::string(text.substr(0, 256));
}

}  // namespace

Json change_events(const config::Config& config, const std::vector<Change>& changes,
                   std::string_view tool_version, long long now_ms) {
  Json events = Json::array();
  for (const auto& change : changes) {
    events.push_back(
        {{"category", "USER_DEFINED"},
         {"eventType", std::string(kChangeEventType)},
         {"dimensions",
          {{"cluster", clipped(config.cluster)},
           {"environment", clipped(config.environment)},
           {"service", clipped(change.subject)},
           {"tool_version", clipped(tool_version)},
           {"outcome", clipped(change.outcome)}}},
         {"properties", {{"command", clipped(change.command)}, {"exit_code", change.exit_code}}},
         {"timestamp", now_ms}});
  }
  return events;
}

}  // namespace cxtm::change
