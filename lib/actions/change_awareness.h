#pragma once
// What Splunk hears of a change a command makes (issue 18): a custom event per service (or for
// the collector) with the outcome, when the ingest token is in the environment; and, for the
// services whose alerts.mute_during_change is set, a muting rule on their detector for the
// time of the rollout, removed when the command ends (or ending by itself if it is killed).
// Failures to tell Splunk are a line on stderr: the change itself stands.

#include <memory>
#include <string>
#include <vector>

#include "actions/collector_deploy.h"
#include "actions/context.h"
#include "actions/service_result.h"
#include "change/change_event.h"
#include "change/splunk_change.h"
#include "net/http_client.h"

namespace cxtm::actions {

class ChangeAwareness {
 public:
  // command: "instrument", "rollback", "collector deploy", ...
  ChangeAwareness(Context& context, std::string command);
  ~ChangeAwareness();
  ChangeAwareness(const ChangeAwareness&) = delete;
  ChangeAwareness& operator=(const ChangeAwareness&) = delete;

  // Before the change: mutes the detectors of the services that ask for it (one search of the
  // cluster's detectors). Throws Error(usage), before any change, when one asks and there is
  // no API token ($SPLUNK_API_TOKEN).
  void before(const std::vector<const config::ServiceSettings*>& services);
  // After it: removes the muting rules, and posts an event per change. Never throws.
  void after(const std::vector<change::Change>& changes);

 private:
  void unmute_all();

  Context& context_;
  std::string command_;
  std::unique_ptr<net::HttpClient> http_;
  std::string api_url_;
  std::string api_token_;
  std::vector<std::pair<std::string, std::string>> muted_;  // service, muting rule id
};

// The collector's change, for after(): none when the deploy changed nothing. done: the outcome
// when it worked ("deployed", "upgraded", "token rotated").
std::vector<change::Change> collector_changes(std::string_view command,
                                              const config::Config& config,
                                              const CollectorDeployResult& result,
                                              std::string_view done);

// The changes per-service results report (dry runs and services left unchanged are none).
std::vector<change::Change> service_changes(std::string_view command,
                                            const std::vector<ServiceResult>& results);

}  // namespace cxtm::actions
