#pragma once
// `cxtm-o11y validate [SERVICE...] [--splunk]`: proves that traces flow from each service
// through the collector into Splunk, one check after another (lib/validate has one file per
// check), skipping what depends on a check that failed. `instrument` runs checks 4 and 5 for
// the services it has just instrumented.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "actions/context.h"
#include "actions/service_result.h"
#include "config/config.h"
#include "core/duration.h"
#include "net/http_client.h"
#include "net/retry.h"
#include "validate/report.h"

namespace cxtm::actions {

enum class ValidateScope {
  full,      // checks 1 … 8
  services,  // checks 4 and 5: after instrument
};

struct ValidateOptions {
  std::vector<const config::ServiceSettings*> services;  // none: the collector alone
  ValidateScope scope = ValidateScope::full;
  std::string traffic;                         // check 7: --traffic PATH|URL, "" skips it
  bool splunk = false;                         // check 8; needs the two fields below
  std::string splunk_api_url;                  // splunk_api_url(config)
  std::string splunk_api_token;                // splunk_api_token()
  Duration timeout = std::chrono::minutes(2);  // the waits, from the test span on
  Duration request_timeout = std::chrono::seconds(10);
  Duration poll_interval = std::chrono::milliseconds(500);
  Duration exporter_wait = std::chrono::seconds(30);  // at most, for the exporter to send
  std::function<bool()> interrupted;
};

// Where validate meets the outside beyond the KubeClient: HTTP, and the API server as a URL.
struct ValidateEdges {
  net::HttpClient& http;
  // The API server's URL through kubectl proxy, started on the first call. Throws Error when
  // it cannot be started.
  std::function<std::string()> proxy_url;
};

// Runs the checks and returns the report. Throws only Error(interrupted).
validate::Report run_validate(Context& context, ValidateEdges edges,
                              const ValidateOptions& options);

// The Splunk API's base URL: $CXTM_O11Y_SPLUNK_API_URL when set, else the realm's
// (https://api.<realm>.signalfx.com, or the splunkcloud host style).
std::string splunk_api_url(const config::Config& config);

// $SPLUNK_API_TOKEN, registered for redaction. Throws Error(usage) when it is not set, saying
// that needed_by ("--splunk", "dashboards apply") needs it.
std::string splunk_api_token(std::string_view needed_by);

// The services of `selected` whose result says instrument just wrote them (instrumented or
// upgraded), in order.
std::vector<const config::ServiceSettings*> just_instrumented(
    const std::vector<const config::ServiceSettings*>& selected,
    const std::vector<ServiceResult>& results);

}  // namespace cxtm::actions
