#include "validate/splunk.h"

#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace cxtm::validate {

void check_splunk(splunk::TraceApi& api, const TestTrace& trace,
                  const std::vector<std::string>& services, const SplunkCheckOptions& options,
                  CheckResult& result) {
  const auto start = api.time().now();
  const auto lookup = api.wait_for_trace(trace.trace_id, options.deadline, options.poll);
  const auto waited = std::chrono::duration_cast<Duration>(api.time().now() - start);
  result.data = {{"traceId", trace.trace_id},
                 {"found", lookup.state == splunk::LookupState::found},
                 {"requests", lookup.polls},
                 {"httpStatus", lookup.status},
                 {"traceServices", lookup.services}};
  switch (lookup.state) {
    case splunk::LookupState::refused:
      result.status = Status::fail;
      result.summary = lookup.message;
      result.remedy = fmt::format(
          "create an API token in Splunk Observability Cloud (Settings > Access Tokens, API "
          "scope) for realm {} and export it as {}",
          options.realm, splunk::kSplunkApiTokenVariable);
      return;
    case splunk::LookupState::not_yet:
      result.status = Status::fail;
      result.summary = fmt::format("trace {} not in Splunk APM after {} ({} requests)",
                                   trace.trace_id, format_duration(waited), lookup.polls);
      result.remedy =
          "check 6 shows whether the collector sent it; if it did, raise --timeout (APM can take "
          "a few minutes) and check that the ingest token's organisation is the API token's";
      return;
    case splunk::LookupState::failed:
      result.status = Status::fail;
      result.summary = fmt::format("Splunk's trace API did not answer usably: {}", lookup.message);
      result.remedy = "retry later; check https://status.splunk.com and any HTTPS proxy";
      return;
    case splunk::LookupState::found:
      break;
  }
  const std::string found =
      fmt::format("trace {} found in Splunk APM after {} ({} request{})", trace.trace_id,
                  format_duration(waited), lookup.polls, lookup.polls == 1 ? "" : "s");
  if (services.empty()) {
    result.summary = found;
    return;
  }
  // The test spans are the tool's own service's: a service shows in APM's topology only for
  // spans its own process sent. Looked for from kRecentWindow before the test to the deadline.
  const auto test_time = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::nanoseconds(trace.start_unix_nano)));
  const std::set<std::string> wanted(services.begin(), services.end());
  const auto active = api.wait_for_services(wanted, test_time - kRecentWindow, options.environment,
                                            options.deadline, options.poll);
  std::vector<std::string> quiet;
  for (const auto& service : services) {
    if (!active.services.contains(service)) quiet.push_back(service);
  }
  result.data["quietServices"] = quiet;
  result.data["topologyRequests"] = active.polls;
  if (!active.ok) {
    result.status = Status::fail;
    result.summary = found +
                     "; APM's service topology could not be read, so no service's own "
                     "spans are proven";
    result.details.push_back(active.message);
    result.remedy = active.status == 401 || active.status == 403
                        ? "the API token may read traces but not the topology: use a token "
                          "with the API scope of a user with the read_only role or more"
                        : "retry later; check https://status.splunk.com and any HTTPS proxy";
    return;
  }
  if (quiet.empty()) {
    result.summary =
        fmt::format("{}; {} service{} sent spans of {} own since {} before it", found,
                    services.size(), services.size() == 1 ? "" : "s",
                    services.size() == 1 ? "its" : "their", format_duration(kRecentWindow));
    return;
  }
  result.status = Status::fail;
  result.summary =
      fmt::format("{}; no spans of their own from {} since {} before it ({} looks)", found,
                  fmt::join(quiet, ", "), format_duration(kRecentWindow), active.polls);
  result.remedy =
      "send each of them a request (validate --traffic PATH makes one) and validate again; if "
      "they had traffic, check 5 and the app's log say why their spans are missing";
}

}  // namespace cxtm::validate
