#include "config/access_token.h"

#include <fmt/core.h>

#include "core/secret_env.h"

namespace cxtm::config {

std::optional<std::string> access_token_from_env(const Config& config) {
  if (config.splunk.access_token.external) return std::nullopt;
  return take_secret_env(config.splunk.access_token.env);
}

std::string foreign_secret_warning(std::string_view variable, std::string_view file) {
  if (variable.empty() || variable.find("SPLUNK") != std::string_view::npos ||
      variable.find("SIGNALFX") != std::string_view::npos ||
      variable.find("SFX") != std::string_view::npos) {
    return "";
  }
  constexpr std::string_view kForeign[] = {
      "AWS_",        "AZURE_",   "ARM_",   "GOOGLE_",  "GCP_",     "GITHUB_",
      "GH_",         "GITLAB_",  "CI_JOB", "NPM_",     "DOCKER_",  "SLACK_",
      "VAULT_",      "DATABASE", "DB_",    "PASSWORD", "PASSWD",   "SECRET_ACCESS_KEY",
      "PRIVATE_KEY", "SSH_",     "KUBE",   "OPENAI",   "ANTHROPIC"};
  for (std::string_view word : kForeign) {
    if (variable.find(word) != std::string_view::npos) {
      return fmt::format(
          "{}: splunk.access_token.env names {}, which looks like another product's secret, not "
          "a Splunk access token: the tool would send it to Splunk and store it in the cluster's "
          "token Secret",
          file, variable);
    }
  }
  return "";
}

}  // namespace cxtm::config
