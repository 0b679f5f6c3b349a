// Tokens belong in the environment (a Secret mounted as env), not in the config: a ConfigMap is
// readable by anyone who can read the namespace, and ends up in Git and in logs. The value is
// never repeated in a finding.

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "core/text.h"
#include "lint/rules.h"

namespace cxtm::lint {
namespace {

// access_token, token, X-SF-Token, hec_token, bearer_token, api_key, Authorization, ...
bool is_token_key(std::string_view key) {
  std::string normalized;
  for (char c : key) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      normalized += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return normalized.ends_with("token") || normalized == "apikey" || normalized == "authorization";
}

bool is_literal_secret(const YAML::Node& value) {
  if (!value.IsScalar()) return false;
  const std::string& text = value.Scalar();
  if (text.empty() || is_env_reference(text)) return false;
  return text != "true" && text != "false";
}

// The variables a text refers to as ${NAME} or ${env:NAME}; "$$" is the collector's literal "$".
std::vector<std::string> references(const std::string& text) {
  std::vector<std::string> names;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] != '$') continue;
    if (text[i + 1] == '$') {
      ++i;
      continue;
    }
    if (text[i + 1] != '{') continue;
    const size_t end = text.find('}', i + 2);
    if (end == std::string::npos) break;
    std::string name = text.substr(i + 2, end - i - 2);
    if (name.starts_with("env:")) name.erase(0, 4);
    names.push_back(std::move(name));
    i = end;
  }
  return names;
}

// A variable whose name says it holds a secret.
bool is_secret_variable(std::string_view name) {
  const std::string upper = to_upper(name);
  for (std::string_view word : {"TOKEN", "SECRET", "PASSWORD", "API_KEY", "APIKEY", "CREDENTIAL"}) {
    if (upper.find(word) != std::string::npos) return true;
  }
  return false;
}

void scan(const YAML::Node& node, const std::string& path, Reporter& reporter) {
  if (node.IsSequence()) {
    for (size_t i = 0; i < node.size(); ++i) {
      scan(node[i], fmt::format("{}[{}]", path, i), reporter);
    }
    return;
  }
  if (!node.IsMap()) return;
  for (const auto& entry : node) {
    if (!entry.first.IsScalar()) continue;
    const std::string child = path + "." + entry.first.Scalar();
    if (!is_token_key(entry.first.Scalar()) && entry.second.IsScalar()) {
      for (const auto& name : references(entry.second.Scalar())) {
        if (!is_secret_variable(name)) continue;
        reporter.report(entry.second, "secret-reference", Severity::error,
                        fmt::format("{} refers to ${{{}}} outside a token setting: the collector "
                                    "expands it there too, and the secret goes wherever this "
                                    "value goes (span attributes, logs, the backend)",
                                    child, name));
      }
    }
    if (is_token_key(entry.first.Scalar()) && is_literal_secret(entry.second)) {
      reporter.report(
          entry.second, "inline-token", Severity::error,
          fmt::format("{} is a token written into the config, where anyone who can "
                      "read the ConfigMap can read it; reference it from the "
                      "environment instead, e.g. \"${{env:SPLUNK_OBSERVABILITY_ACCESS_TOKEN}}\", "
                      "and rotate the token",
                      child));
      continue;
    }
    scan(entry.second, child, reporter);
  }
}

}  // namespace

void check_tokens(const CollectorConfig& config, const LintOptions&, Reporter& reporter) {
  for (const Component& component : config.components) {
    scan(component.settings, component.path(), reporter);
  }
}

}  // namespace cxtm::lint
