// The memory_limiter processor's own settings. The collector validates every defined component
// at startup, used or not, so these fire for unused memory_limiters too.
// Source: opentelemetry-collector internal/memorylimiter/config.go, Config.Validate().

#include <fmt/core.h>

#include <cctype>
#include <optional>

#include "lint/rules.h"

namespace cxtm::lint {
namespace {

bool has_value(const std::optional<Entry>& entry) {
  return entry && entry->value.IsDefined() && !entry->value.IsNull();
}

// Settings merged in with `<<: *anchor` are invisible to yaml-cpp; a missing setting may be there.
bool may_inherit(const YAML::Node& settings) {
  return find_entry(settings, "<<").has_value();
}

// True for a Go duration that is zero or negative ("0", "0s", "0m0s", "-1s"); false for anything
// else, including values taken from the environment, which only the running collector knows.
bool is_non_positive_duration(std::string_view text) {
  if (text.starts_with('-')) return text.find_first_of("0123456789") != std::string_view::npos;
  bool has_digit = false;
  for (char c : text) {
    if (c == '0') {
      has_digit = true;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      return false;
    } else if (c != '.' && std::string_view("nsuµmh").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return has_digit;
}

// The number a setting holds when it is a plain non-negative integer; nullopt otherwise.
std::optional<unsigned long long> as_count(const YAML::Node& node) {
  if (!node.IsScalar() || node.Scalar().empty()) return std::nullopt;
  for (char c : node.Scalar()) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  try {
    return std::stoull(node.Scalar());
  } catch (const std::out_of_range&) {
    return std::nullopt;
  }
}

// A limit counts as set unless it is absent or literally zero (an env reference counts as set).
bool limit_is_set(const std::optional<Entry>& entry) {
  if (!has_value(entry)) return false;
  const auto count = as_count(entry->value);
  return !count || *count > 0;
}

constexpr std::string_view kCrashLoop =
    "the collector refuses to start (\"checkInterval must be greater than zero\"); this is what "
    "made the POC's collector crash-loop";

void check_interval(const Component& limiter, Reporter& reporter) {
  const auto interval = find_entry(limiter.settings, "check_interval");
  if (!has_value(interval)) {
    if (may_inherit(limiter.settings)) return;
    reporter.report(limiter.key, "memory-limiter-check-interval", Severity::error,
                    fmt::format("{} has no check_interval: {}; set check_interval: 2s",
                                limiter.path(), kCrashLoop));
    return;
  }
  if (interval->value.IsScalar() && is_non_positive_duration(interval->value.Scalar())) {
    reporter.report(interval->value, "memory-limiter-check-interval", Severity::error,
                    fmt::format("{} check_interval is not greater than zero: {}; set "
                                "check_interval: 2s",
                                limiter.path(), kCrashLoop));
  }
}

void check_limits(const Component& limiter, Reporter& reporter) {
  const auto limit_mib = find_entry(limiter.settings, "limit_mib");
  const auto limit_percentage = find_entry(limiter.settings, "limit_percentage");
  if (!limit_is_set(limit_mib) && !limit_is_set(limit_percentage)) {
    if (!limit_mib && !limit_percentage && may_inherit(limiter.settings)) return;
    reporter.report(has_value(limit_mib) ? limit_mib->value : limiter.key, "memory-limiter-limit",
                    Severity::error,
                    fmt::format("{} sets neither limit_mib nor limit_percentage above zero: the "
                                "collector refuses to start (\"'limit_mib' or 'limit_percentage' "
                                "must be greater than zero\"); set limit_mib to about 80% of the "
                                "container's memory limit",
                                limiter.path()));
    return;
  }
  // Also fatal at startup: a spike limit that leaves no room below the limit.
  const auto spike = find_entry(limiter.settings, "spike_limit_mib");
  if (limit_mib && spike) {
    const auto limit = as_count(limit_mib->value);
    const auto spike_limit = as_count(spike->value);
    if (limit && spike_limit && *limit > 0 && *spike_limit >= *limit) {
      reporter.report(spike->value, "memory-limiter-limit", Severity::error,
                      fmt::format("{} spike_limit_mib ({}) must be smaller than limit_mib ({}); "
                                  "the collector refuses to start otherwise",
                                  limiter.path(), *spike_limit, *limit));
    }
  }
}

}  // namespace

void check_memory_limiter(const CollectorConfig& config, const LintOptions&, Reporter& reporter) {
  for (const Component& component : config.components) {
    if (component.kind != Kind::processor || component.type != "memory_limiter") continue;

    // Removed from memory_limiter in collector PR #4365 (2021); upstream rejects the key, the
    // Splunk distribution strips it with a warning (splunk-otel-collector
    // internal/configconverter/remove_ballast_key.go).
    if (const auto ballast = find_entry(component.settings, "ballast_size_mib")) {
      reporter.report(ballast->key, "deprecated-component", Severity::warning,
                      fmt::format("{} ballast_size_mib was removed from the collector; delete it "
                                  "and set the GOMEMLIMIT environment variable instead",
                                  component.path()));
    }

    // The admission model (newer collectors) has neither a check interval nor these limits.
    const auto model = find_entry(component.settings, "model");
    if (model && model->value.IsScalar() && model->value.Scalar() == "admission") continue;

    check_interval(component, reporter);
    check_limits(component, reporter);
  }
}

}  // namespace cxtm::lint
