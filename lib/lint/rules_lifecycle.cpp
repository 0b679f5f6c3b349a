// Components the collector no longer has (it refuses to start: `unknown type: "..."`, and the
// pod crash-loops) or only tolerates (the Splunk distribution strips or renames them with a
// warning at startup). Each entry says where its status was confirmed.

#include <fmt/core.h>

#include <array>

#include "config/splunk_endpoints.h"
#include "lint/endpoint_host.h"
#include "lint/rules.h"

namespace cxtm::lint {
namespace {

struct Retired {
  Kind kind;
  std::string_view type;
  std::string_view rule_id;
  Severity severity;
  std::string_view advice;  // what happened and what to use instead
};

constexpr std::array<Retired, 7> kRetired = {{
    // opentelemetry-collector v0.111.0 release notes: "`loggingexporter`: Removed the deprecated
    // `logging` exporter. Use the `debug` exporter instead. (#11037)"; migration in #11337.
    {Kind::exporter, "logging", "logging-removed", Severity::error,
     "the logging exporter was removed in collector v0.111.0 and the collector refuses to start "
     "with it (unknown type: \"logging\"); use the debug exporter instead"},
    // opentelemetry-collector-contrib PR #26546 removed the jaeger and jaeger_thrift exporters
    // (v0.85.0); collector issue #8441 shows the startup error. Jaeger accepts OTLP natively.
    {Kind::exporter, "jaeger", "jaeger-removed", Severity::error,
     "the jaeger exporter was removed in collector v0.85.0 and the collector refuses to start "
     "with it (unknown type: \"jaeger\"); Jaeger accepts OTLP, use the otlp exporter"},
    {Kind::exporter, "jaeger_thrift", "jaeger-removed", Severity::error,
     "the jaeger_thrift exporter was removed in collector v0.85.0 and the collector refuses to "
     "start with it; Jaeger accepts OTLP, use the otlphttp exporter"},
    // opentelemetry-collector-contrib PR #37829 deprecated the OpenCensus receiver and exporter,
    // PR #42239 removed them (v0.134.0); the Splunk distribution never shipped them
    // (signalfx/splunk-otel-collector PR #230 removed the receiver).
    {Kind::receiver, "opencensus", "opencensus-removed", Severity::error,
     "the opencensus receiver is not in the Splunk collector (and was removed upstream in "
     "v0.134.0), so the collector refuses to start; send OTLP to the otlp receiver instead"},
    {Kind::exporter, "opencensus", "opencensus-removed", Severity::error,
     "the opencensus exporter is not in the Splunk collector (and was removed upstream in "
     "v0.134.0), so the collector refuses to start; use the otlp exporter instead"},
    // opentelemetry-collector v0.109.0 release notes: "`ballastextension`: Removes the deprecated
    // ballastextension (#10671)". The Splunk distribution drops it with a warning
    // (internal/configconverter/remove_memory_ballast_key.go), so there it is only a warning.
    {Kind::extension, "memory_ballast", "deprecated-component", Severity::warning,
     "the memory_ballast extension was removed from the collector (v0.109.0); the Splunk "
     "collector drops it with a warning. Delete it and set GOMEMLIMIT to about 80% of the "
     "container's memory limit"},
    // opentelemetry-collector-contrib v0.37.0 renamed k8s_tagger to k8sattributes; the Splunk
    // distribution renames it with a warning (internal/configconverter/k8s_tagger.go).
    {Kind::processor, "k8s_tagger", "deprecated-component", Severity::warning,
     "the k8s_tagger processor was renamed to k8sattributes; the Splunk collector renames it "
     "with a warning. Use k8sattributes"},
}};

// The realm the sapm exporter sent to, so the replacement can be spelled out in full.
std::string sapm_realm(const Component& sapm, const LintOptions& options,
                       config::HostStyle& style) {
  const auto endpoint = find_entry(sapm.settings, "endpoint");
  if (endpoint && endpoint->value.IsScalar() && !is_env_reference(endpoint->value.Scalar())) {
    const Host host = classify_endpoint(endpoint->value.Scalar());
    if (host.kind == HostKind::observability) {
      style = host.style;
      if (!options.realm) return host.realm;
    }
  }
  return options.realm.value_or("<realm>");
}

// Deprecated in opentelemetry-collector-contrib PR #36028 (December 2024), dropped from the
// contrib distribution in opentelemetry-collector-releases PR #1393; the POC's image crash-looped
// on it.
void report_sapm(const Component& sapm, const LintOptions& options, Reporter& reporter) {
  config::HostStyle style = config::HostStyle::classic;
  const std::string realm = sapm_realm(sapm, options, style);
  reporter.report(
      sapm.key, "sapm-removed", Severity::error,
      fmt::format("{}: the sapm exporter was deprecated and then removed; current Splunk "
                  "collector images refuse to start with it (unknown type: \"sapm\") and the pod "
                  "crash-loops. Use the otlphttp exporter with traces_endpoint: {} and the "
                  "X-SF-Token header from ${{env:SPLUNK_OBSERVABILITY_ACCESS_TOKEN}}",
                  sapm.path(), config::endpoints_for(realm, style).traces_otlp));
}

// Component names the pinned version does not know by that name (config/collector_version.h):
// an old name on a version after the renaming still starts, deprecated; a new name on a
// version before it does not.
void report_renamed(const Component& component, const config::CollectorVersion& version,
                    Reporter& reporter) {
  const std::string_view known = config::name_in(component.type, version);
  if (known == component.type) return;
  if (version >= config::kComponentsRenamed) {
    reporter.report(
        component.key, "deprecated-component", Severity::warning,
        fmt::format("{}: collector {} calls the {} {} {}; the old name is deprecated. Rename it "
                    "(collector upgrade renders the new name)",
                    component.path(), version.text(), component.type, name_of(component.kind),
                    known));
    return;
  }
  reporter.report(component.key, "component-too-new", Severity::error,
                  fmt::format("{}: {} is the name from collector {} on; collector {} does not "
                              "know it and refuses to start. Use {}",
                              component.path(), component.type, config::kComponentsRenamed.text(),
                              version.text(), known));
}

}  // namespace

void check_lifecycle(const CollectorConfig& config, const LintOptions& options,
                     Reporter& reporter) {
  for (const Component& component : config.components) {
    if (options.collector_version) report_renamed(component, *options.collector_version, reporter);
    if (component.kind == Kind::exporter && component.type == "sapm") {
      report_sapm(component, options, reporter);
      continue;
    }
    for (const Retired& retired : kRetired) {
      if (component.kind != retired.kind || component.type != retired.type) continue;
      reporter.report(component.key, retired.rule_id, retired.severity,
                      fmt::format("{}: {}", component.path(), retired.advice));
    }
  }
}

}  // namespace cxtm::lint
