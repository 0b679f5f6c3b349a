#include "actions/change_awareness.h"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>

#include "actions/validate.h"
#include "config/access_token.h"
#include "config/ca_bundle.h"
#include "dashboards/desired.h"
#include "splunk/objects_api.h"

namespace cxtm::actions {
namespace {

constexpr Duration kRequestTimeout = std::chrono::seconds(10);

long long now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The name `dashboards apply` gives the service's detector.
std::string detector_name(const config::Config& config, const config::ServiceSettings& service) {
  for (const auto& object : dashboards::desired_objects(config, {&service})) {
    if (object.type == splunk::ObjectType::detector) return object.name;
  }
  return "";
}

}  // namespace

ChangeAwareness::ChangeAwareness(Context& context, std::string command)
    : context_(context), command_(std::move(command)) {}

ChangeAwareness::~ChangeAwareness() {
  unmute_all();
}

void ChangeAwareness::before(const std::vector<const config::ServiceSettings*>& services) {
  std::vector<const config::ServiceSettings*> asking;
  for (const auto* service : services) {
    if (service->alerts.mute_during_change) asking.push_back(service);
  }
  if (asking.empty()) return;
  const auto& config = context_.config;
  api_token_ = splunk_api_token("alerts.mute_during_change");
  api_url_ = splunk_api_url(config);
  std::vector<Json> detectors;
  try {
    http_ = std::make_unique<net::CurlHttpClient>(
        config::ca_bundle_for(api_url_, config.ca_bundle, config.source));
    splunk::ObjectsApi objects(*http_, api_url_, api_token_, kRequestTimeout, context_.time);
    detectors =
        objects.search(splunk::ObjectType::detector, {{"tags", dashboards::detector_tag(config)}},
                       "the cluster's detectors");
  } catch (const Error& error) {
    context_.reporter.note(fmt::format("alerts not muted: {}", error.what()));
    return;
  }
  change::SplunkChange splunk(*http_, kRequestTimeout);
  for (const auto* service : asking) {
    const std::string name = detector_name(config, *service);
    const auto found = std::find_if(detectors.begin(), detectors.end(), [&](const Json& detector) {
      return detector.value("name", "") == name;
    });
    if (found == detectors.end() || !found->contains("id")) {
      context_.reporter.note(fmt::format(
          "{}: no detector to mute (cxtm-o11y dashboards apply keeps one)", service->name));
      continue;
    }
    const Duration duration = *service->alerts.mute_during_change;
    const auto muted = splunk.mute(
        api_url_, api_token_, (*found)["id"].get<std::string>(),
        fmt::format("cxtm-o11y {} of {} in cluster {}", command_, service->name, config.cluster),
        now_ms(), duration);
    if (muted.lost) {
      context_.reporter.note(fmt::format(
          "{}: alerts may be muted ({}: the answer was lost); a muting rule that landed ends by "
          "itself within {}",
          service->name, muted.problem, format_duration(duration)));
      continue;
    }
    if (!muted.problem.empty()) {
      context_.reporter.note(fmt::format("{}: alerts NOT muted: {}", service->name, muted.problem));
      continue;
    }
    muted_.emplace_back(service->name, muted.id);
    context_.reporter.note(fmt::format("{}: detector \"{}\" muted for at most {} (muting rule {})",
                                       service->name, name, format_duration(duration), muted.id));
  }
}

void ChangeAwareness::unmute_all() {
  if (muted_.empty() || !http_) return;
  change::SplunkChange splunk(*http_, kRequestTimeout);
  for (const auto& [service, id] : muted_) {
    if (auto problem = splunk.unmute(api_url_, api_token_, id); !problem.empty()) {
      context_.reporter.note(fmt::format("{}: muting rule {} not removed ({}); it ends by itself",
                                         service, id, problem));
    } else {
      context_.reporter.note(fmt::format("{}: detector unmuted", service));
    }
  }
  muted_.clear();
}

void ChangeAwareness::after(const std::vector<change::Change>& changes) {
  try {
    unmute_all();
    if (changes.empty()) return;
    const auto& config = context_.config;
    // The ingest token: without it no event, and nothing to say (most runs have none).
    const auto token = config::access_token_from_env(config);
    if (!token) return;
    const std::string url = change::splunk_ingest_url(config);
    net::CurlHttpClient http(config::ca_bundle_for(url, config.ca_bundle, config.source));
    change::SplunkChange splunk(http, kRequestTimeout);
    const Json events = change::change_events(config, changes, CXTM_VERSION, now_ms());
    const auto posted = splunk.post_events(url, *token, events);
    if (posted.problem.empty()) return;
    // The collector sends with the same token: a refused one is worth saying plainly.
    const std::string remedy =
        posted.token_refused ? fmt::format(
                                   " (Splunk refused the access token in ${}; a collector sending "
                                   "with it is refused too)",
                                   config.splunk.access_token.env)
                             : "";
    context_.reporter.note(
        fmt::format("change events not confirmed by Splunk: {}{}", posted.problem, remedy));
  } catch (const Error& error) {
    context_.reporter.note(fmt::format("change events not confirmed by Splunk: {}", error.what()));
  }
}

std::vector<change::Change> collector_changes(std::string_view command,
                                              const config::Config& config,
                                              const CollectorDeployResult& result,
                                              std::string_view done) {
  if (!result.plan.changes_anything()) return {};
  const std::string outcome = result.code == ExitCode::ok ? std::string(done)
                              : result.rolled_back        ? "failed, put back"
                                                          : "failed";
  return {{.command = std::string(command),
           .subject = config.collector.name,
           .outcome = outcome,
           .exit_code = static_cast<int>(result.code)}};
}

std::vector<change::Change> service_changes(std::string_view command,
                                            const std::vector<ServiceResult>& results) {
  std::vector<change::Change> changes;
  for (const auto& result : results) {
    if (result.outcome == ServiceOutcome::unchanged ||
        result.outcome == ServiceOutcome::would_change) {
      continue;
    }
    changes.push_back({.command = std::string(command),
                       .subject = result.service,
                       .outcome = std::string(outcome_name(result.outcome)),
                       .exit_code = static_cast<int>(result.code)});
  }
  return changes;
}

}  // namespace cxtm::actions
