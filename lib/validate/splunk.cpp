#include "validate/splunk.h"

#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>

namespace cxtm::validate {

void check_splunk(SplunkApi& api, const TestTrace& trace, const std::vector<std::string>& services,
                  const SplunkCheckOptions& options, CheckResult& result) {
  const auto start = Clock::now();
  const auto lookup = api.wait_for_trace(trace.trace_id, options.deadline, options.poll);
  const auto waited = std::chrono::duration_cast<Duration>(Clock::now() - start);
  result.data = {{"traceId", trace.trace_id},
                 {"found", lookup.state == LookupState::found},
                 {"requests", lookup.polls},
                 {"httpStatus", lookup.status},
                 {"traceServices", lookup.services}};
  switch (lookup.state) {
    case LookupState::refused:
      result.status = Status::fail;
      result.summary = lookup.message;
      result.remedy = fmt::format(
          "create an API token in Splunk Observability Cloud (Settings > Access Tokens, API "
          "scope) for realm {} and export it as {}",
          options.realm, kSplunkApiTokenVariable);
      return;
    case LookupState::not_yet:
      result.status = Status::fail;
      result.summary = fmt::format("trace {} not in Splunk APM after {} ({} requests)",
                                   trace.trace_id, format_duration(waited), lookup.polls);
      result.remedy =
          "check 6 shows whether the collector sent it; if it did, raise --timeout (APM can take "
          "a few minutes) and check that the ingest token's organisation is the API token's";
      return;
    case LookupState::failed:
      result.status = Status::fail;
      result.summary = fmt::format("Splunk's trace API did not answer usably: {}", lookup.message);
      result.remedy = "retry later; check https://status.splunk.com and any HTTPS proxy";
      return;
    case LookupState::found:
      break;
  }
  const std::string found =
      fmt::format("trace {} found in Splunk APM after {} ({} request{})", trace.trace_id,
                  format_duration(waited), lookup.polls, lookup.polls == 1 ? "" : "s");
  if (services.empty()) {
    result.summary = found;
    return;
  }
  // The window ends where the test span begins, so that the test span itself does not count.
  const auto test_time = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::nanoseconds(trace.start_unix_nano)));
  const auto to = test_time - std::chrono::seconds(1);
  const auto active =
      api.active_services(to - kRecentWindow, to, options.environment, options.deadline);
  if (!active.ok) {
    result.status = Status::warn;
    result.summary = found + "; the service topology could not be read";
    result.details.push_back(active.message);
    result.remedy = "the trace arrived; retry later to see each service's recent spans";
    return;
  }
  std::vector<std::string> quiet;
  for (const auto& service : services) {
    if (!active.services.contains(service)) quiet.push_back(service);
  }
  result.data["quietServices"] = quiet;
  if (quiet.empty()) {
    result.summary =
        fmt::format("{}; {} service{} reported spans in the {} before it", found, services.size(),
                    services.size() == 1 ? "" : "s", format_duration(kRecentWindow));
    return;
  }
  result.status = Status::warn;
  result.summary = fmt::format("{}; no spans in the {} before it from {}", found,
                               format_duration(kRecentWindow), fmt::join(quiet, ", "));
  result.remedy =
      "send those services some traffic; if they had traffic, read their pods' logs "
      "for OpenTelemetry exporter errors";
}

}  // namespace cxtm::validate
