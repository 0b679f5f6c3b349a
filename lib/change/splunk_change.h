#pragma once
// Tells Splunk about a change (issue 18): its events on the ingest API (with the org's ingest
// token, the one the collector sends with), and a muting rule for a service's detector on the
// API (with an API token) while the change rolls out, deleted when it is over. Neither is the
// change itself: each call returns why it did not work, in one line, and never throws.

#include <string>
#include <string_view>

#include "config/config.h"
#include "core/duration.h"
#include "core/json.h"
#include "net/http_client.h"

namespace cxtm::change {

// Where the events go instead of the realm's ingest URL (tests, a proxy).
inline constexpr std::string_view kSplunkIngestUrlVariable = "CXTM_O11Y_SPLUNK_INGEST_URL";

// $CXTM_O11Y_SPLUNK_INGEST_URL when set, else the realm's ingest URL, without a trailing '/'.
// Throws Error(usage) for a URL a token may not be sent to (validate/url.h).
std::string splunk_ingest_url(const config::Config& config);

class SplunkChange {
 public:
  SplunkChange(net::HttpClient& http, Duration timeout) : http_(http), timeout_(timeout) {}

  struct Posted {
    std::string problem;         // "" when Splunk took them, else why not
    bool token_refused = false;  // 401 or 403: the token is not an ingest token it takes
  };
  // POST <ingest_url>/v2/event.
  Posted post_events(const std::string& ingest_url, const std::string& token, const Json& events);

  struct Muted {
    std::string id;       // the rule's, when created
    std::string problem;  // else why not
    bool lost = false;    // no answer or a 5xx: the rule may have been created all the same
  };
  // POST <api_url>/v2/alertmuting: the detector's notifications muted from now for `duration`.
  Muted mute(const std::string& api_url, const std::string& token, const std::string& detector_id,
             const std::string& description, long long now_ms, Duration duration);
  // DELETE <api_url>/v2/alertmuting/<id>. "" when it is gone (or was over already), else why not.
  std::string unmute(const std::string& api_url, const std::string& token, const std::string& id);

 private:
  net::HttpResponse send(std::string method, std::string url, const std::string& token,
                         std::string body);

  net::HttpClient& http_;
  Duration timeout_;
};

}  // namespace cxtm::change
