#include "config/alert_settings.h"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>

#include "config/yaml_field.h"

namespace cxtm::config {
namespace {

constexpr long long kMaxLatencyMs = 3600000;

void read_severity(const YamlField& field, std::string& severity) {
  if (!field.present()) return;
  const std::string value = field.as_string();
  const auto& known = alert_severities();
  if (std::find(known.begin(), known.end(), value) == known.end()) {
    field.fail(
        fmt::format("'{}' is not a severity (Critical, Major, Minor, Warning, Info)", value));
  }
  severity = value;
}

// Integration ids and team ids are Splunk object ids: letters, digits, '_' and '-'.
void check_id(const YamlField& field, const std::string& id) {
  const bool valid =
      !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
      });
  if (!valid) {
    field.fail(
        fmt::format("'{}' is not a Splunk id (the integration's or team's, as Splunk "
                    "shows it: letters, digits, '_' and '-')",
                    id));
  }
}

Recipient read_recipient(const YamlField& field) {
  field.expect_map({"email", "slack", "channel", "pagerduty", "webhook", "team"});
  std::vector<std::string> kinds;
  for (const char* kind : {"email", "slack", "pagerduty", "webhook", "team"}) {
    if (field[kind].present()) kinds.emplace_back(kind);
  }
  if (kinds.size() != 1) {
    field.fail("needs exactly one of email, slack, pagerduty, webhook, team");
  }
  const std::string& kind = kinds.front();
  const YamlField value = field[kind];
  const std::string text = value.as_string();
  Recipient recipient;
  if (kind == "email") {
    const auto at = text.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == text.size() ||
        text.find_first_of(" ,;<>") != std::string::npos) {
      value.fail(fmt::format("'{}' is not an email address", text));
    }
    recipient = {.type = "Email", .address = text};
  } else if (kind == "team") {
    check_id(value, text);
    recipient = {.type = "Team", .address = text};
  } else {
    check_id(value, text);
    recipient.type = kind == "slack" ? "Slack" : kind == "pagerduty" ? "PagerDuty" : "Webhook";
    recipient.integration = text;
  }
  if (kind == "slack") {
    if (!field["channel"].present()) field.fail("slack needs a channel (\"#cxtm-alerts\")");
    recipient.channel = field["channel"].as_string();
    if (recipient.channel.empty()) field["channel"].fail("must not be empty");
  } else if (field["channel"].present()) {
    field["channel"].fail("only a slack recipient has a channel");
  }
  return recipient;
}

void read_rule(const YamlField& field, AlertRule& rule, std::string_view threshold_key,
               long long max) {
  if (!field.present()) return;
  field.expect_map({threshold_key, "severity"});
  if (field[threshold_key].present()) rule.threshold = field[threshold_key].as_integer(1, max);
  read_severity(field["severity"], rule.severity);
}

}  // namespace

const std::vector<std::string>& alert_severities() {
  static const std::vector<std::string> severities = {"Critical", "Major", "Minor", "Warning",
                                                      "Info"};
  return severities;
}

void read_alert_settings(const YamlField& field, AlertSettings& alerts) {
  field.expect_map({"error_rate_percent", "p99_latency_ms", "error_rate", "p90_latency",
                    "p99_latency", "request_drop", "no_data", "recipients", "mute_during_change"});
  // The first version's two thresholds, kept as they were.
  if (field["error_rate_percent"].present()) {
    alerts.error_rate.threshold = field["error_rate_percent"].as_integer(1, 100);
  }
  if (field["p99_latency_ms"].present()) {
    alerts.p99_latency.threshold = field["p99_latency_ms"].as_integer(1, kMaxLatencyMs);
  }
  read_rule(field["error_rate"], alerts.error_rate, "percent", 100);
  read_rule(field["p90_latency"], alerts.p90_latency, "ms", kMaxLatencyMs);
  read_rule(field["p99_latency"], alerts.p99_latency, "ms", kMaxLatencyMs);
  read_rule(field["request_drop"], alerts.request_drop, "percent", 99);
  read_rule(field["no_data"], alerts.no_data, "minutes", 1440);
  if (const YamlField recipients = field["recipients"]; recipients.present()) {
    alerts.recipients.clear();
    for (const YamlField& item : recipients.elements()) {
      alerts.recipients.push_back(read_recipient(item));
    }
  }
  if (const YamlField mute = field["mute_during_change"]; mute.present()) {
    const std::string text = mute.as_string();
    if (text.empty() || text == "0" || text == "off") {
      alerts.mute_during_change.reset();
    } else {
      const auto duration = parse_duration(text);
      if (!duration || *duration < std::chrono::minutes(1) || *duration > std::chrono::hours(24)) {
        mute.fail(
            fmt::format("'{}' is not a duration from 1m to 24h (\"10m\"; \"off\" mutes "
                        "nothing)",
                        text));
      }
      alerts.mute_during_change = *duration;
    }
  }
}

}  // namespace cxtm::config
