#pragma once
// The lint rules over one collector config, one concern per file. Each reads the config and
// reports through the reporter; none throws. Internal to lint/.

#include "lint/collector_config.h"
#include "lint/collector_lint.h"

namespace cxtm::lint {

// rules_memory_limiter.cpp: memory-limiter-check-interval, memory-limiter-limit, and the removed
// ballast_size_mib setting (deprecated-component).
void check_memory_limiter(const CollectorConfig& config, const LintOptions& options,
                          Reporter& reporter);

// rules_pipelines.cpp: undefined-component, unused-component, missing-batch,
// memory-limiter-first, memory-limiter-missing.
void check_pipelines(const CollectorConfig& config, const LintOptions& options, Reporter& reporter);

// rules_lifecycle.cpp: components the collector no longer has (sapm-removed, logging-removed,
// jaeger-removed, opencensus-removed) or only tolerates (deprecated-component).
void check_lifecycle(const CollectorConfig& config, const LintOptions& options, Reporter& reporter);

// rules_endpoints.cpp: endpoint-realm-mismatch (only with options.realm).
void check_endpoints(const CollectorConfig& config, const LintOptions& options, Reporter& reporter);

// rules_tokens.cpp: inline-token, secret-reference (a ${env:..._TOKEN} outside a token setting).
void check_tokens(const CollectorConfig& config, const LintOptions& options, Reporter& reporter);

}  // namespace cxtm::lint
