#pragma once
// The collector config linter: a pure function from YAML text to findings. It knows the ways a
// Splunk OpenTelemetry Collector config stops the collector from starting (the POC's crash-loop
// among them), leaks a token, or sends data to the wrong realm.
//
// Rule ids (part of the CLI contract):
//   errors:   yaml-syntax, no-collector-config, no-service, no-pipelines, config-shape,
//             duplicate-key, memory-limiter-check-interval, memory-limiter-limit,
//             memory-limiter-first, undefined-component, endpoint-realm-mismatch, inline-token,
//             sapm-removed, logging-removed, jaeger-removed, opencensus-removed,
//             component-too-new (only with collector_version)
//   warnings: memory-limiter-missing, unused-component, missing-batch, deprecated-component,
//             endpoint-realm-mismatch (an endpoint that is neither Splunk's nor in-cluster)

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/collector_version.h"
#include "lint/finding.h"

namespace cxtm::lint {

struct LintOptions {
  // When set, exporter endpoints must be this realm's, in either host style
  // (ingest.<realm>.signalfx.com or ingest.<realm>.observability.splunkcloud.com).
  std::optional<std::string> realm;
  // When set, component names must be the ones this collector version knows
  // (config/collector_version.h): a name from after the version is an error, a name it renamed a
  // deprecated-component warning.
  std::optional<config::CollectorVersion> collector_version;
};

// Lints text, which is either a collector config (relay.yaml) or a Kubernetes YAML stream; in a
// stream, every ConfigMap data value that is a collector config is linted, with lines pointing
// into text itself. Findings name file_name and come sorted (sort_findings). Never throws on
// bad input: unparseable YAML is one yaml-syntax finding, a stream without a collector config
// one no-collector-config finding.
std::vector<Finding> lint_collector_config(std::string_view text, std::string_view file_name,
                                           const LintOptions& options);

}  // namespace cxtm::lint
