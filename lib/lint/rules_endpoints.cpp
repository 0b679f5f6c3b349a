// With a realm given, every exporter must send to that realm (either host style) or stay inside
// the pod or cluster. A wrong realm loses the data silently: ingest answers 401 for a token of
// another realm, or the data lands where nobody looks.

#include <fmt/core.h>
#include <fmt/format.h>

#include <array>

#include "config/splunk_endpoints.h"
#include "lint/endpoint_host.h"
#include "lint/rules.h"

namespace cxtm::lint {
namespace {

// Settings that hold an exporter's destination (otlp/otlphttp, signalfx, splunk_hec, sapm).
constexpr std::array<std::string_view, 6> kEndpointKeys = {
    "endpoint", "traces_endpoint", "metrics_endpoint", "logs_endpoint", "api_url", "ingest_url"};

std::string realm_list() {
  return fmt::format("{}", fmt::join(config::known_realms(), ", "));
}

void check_endpoint(const Component& exporter, const Entry& entry, const std::string& realm,
                    Reporter& reporter) {
  if (!entry.value.IsScalar() || is_env_reference(entry.value.Scalar())) return;
  const Host host = classify_endpoint(entry.value.Scalar());
  const std::string where = fmt::format("{} {}", exporter.path(), entry.key.Scalar());
  switch (host.kind) {
    case HostKind::local:
    case HostKind::splunk:
      return;
    case HostKind::other:
      reporter.report(entry.value, "endpoint-realm-mismatch", Severity::warning,
                      fmt::format("{} sends to {}, which is neither Splunk Observability Cloud "
                                  "(realm {}) nor inside the cluster; make sure this is intended",
                                  where, host.name, realm));
      return;
    case HostKind::observability:
      break;
  }
  if (!config::is_known_realm(host.realm)) {
    reporter.report(entry.value, "endpoint-realm-mismatch", Severity::error,
                    fmt::format("{} sends to {}, but '{}' is not a Splunk Observability Cloud "
                                "realm (known: {})",
                                where, host.name, host.realm, realm_list()));
    return;
  }
  if (host.realm == realm) return;
  const auto expected = config::endpoints_for(realm, host.style);
  const std::string& expected_url = host.name.starts_with("api.") ? expected.api : expected.ingest;
  reporter.report(entry.value, "endpoint-realm-mismatch", Severity::error,
                  fmt::format("{} sends to {} (realm {}), but this environment's realm is {}; "
                              "use {}",
                              where, host.name, host.realm, realm, expected_url));
}

// The signalfx exporter derives its URLs from `realm` when api_url/ingest_url are not set.
void check_realm_setting(const Component& exporter, const std::string& realm, Reporter& reporter) {
  const auto setting = find_entry(exporter.settings, "realm");
  if (!setting || !setting->value.IsScalar() || is_env_reference(setting->value.Scalar())) return;
  const std::string& value = setting->value.Scalar();
  const std::string where = exporter.path() + " realm";
  if (!config::is_known_realm(value)) {
    reporter.report(setting->value, "endpoint-realm-mismatch", Severity::error,
                    fmt::format("{} '{}' is not a Splunk Observability Cloud realm (known: {})",
                                where, value, realm_list()));
  } else if (value != realm) {
    reporter.report(
        setting->value, "endpoint-realm-mismatch", Severity::error,
        fmt::format("{} is {}, but this environment's realm is {}", where, value, realm));
  }
}

}  // namespace

void check_endpoints(const CollectorConfig& config, const LintOptions& options,
                     Reporter& reporter) {
  if (!options.realm) return;
  for (const Component& exporter : config.components) {
    if (exporter.kind != Kind::exporter) continue;
    for (std::string_view key : kEndpointKeys) {
      if (const auto entry = find_entry(exporter.settings, key)) {
        check_endpoint(exporter, *entry, *options.realm, reporter);
      }
    }
    if (exporter.type == "signalfx") check_realm_setting(exporter, *options.realm, reporter);
  }
}

}  // namespace cxtm::lint
