#pragma once
// `alerts:` in the config (and per service under services.<name>.alerts): when the detector
// `dashboards apply` keeps for each service fires, how severe each rule is, and whom its
// alerts reach; whether a change's rollout mutes them.

#include <optional>
#include <string>
#include <vector>

#include "core/duration.h"

namespace cxtm::config {

class YamlField;

// Someone an alert reaches, as a Splunk detector rule's notification names them: an address,
// or an integration set up in Splunk (Slack, PagerDuty, webhook) by its id.
struct Recipient {
  std::string type;         // Email, Slack, PagerDuty, Webhook, Team
  std::string address;      // Email: the address; Team: the team's id
  std::string integration;  // Slack, PagerDuty, Webhook: the integration's id (credentialId)
  std::string channel;      // Slack: "#channel"
};

// One rule of the detector: its threshold (what it means depends on the rule) and severity.
struct AlertRule {
  long long threshold = 0;
  std::string severity;  // Critical, Major, Minor, Warning, Info
};

struct AlertSettings {
  AlertRule error_rate;    // percent of requests that fail, over 5 minutes
  AlertRule p90_latency;   // 90th percentile request duration in ms, over 10 minutes
  AlertRule p99_latency;   // 99th percentile request duration in ms, over 10 minutes
  AlertRule request_drop;  // percent below the same hour a week ago, for 15 minutes
  AlertRule no_data;       // minutes without a request counted (the service stopped sending)
  std::vector<Recipient> recipients;
  // How long the service's detectors are muted while instrument or rollback changes it (a
  // muting rule, removed when the command ends); nullopt: never.
  std::optional<Duration> mute_during_change;
};

// The severities Splunk's detector rules take.
const std::vector<std::string>& alert_severities();

// Applies what `field` sets onto alerts (absent fields keep their value; recipients, when set,
// replace the list). Fails the field for bad values.
void read_alert_settings(const YamlField& field, AlertSettings& alerts);

}  // namespace cxtm::config
