#include <fmt/core.h>

#include <filesystem>

#include "actions/lint.h"
#include "cli/commands.h"
#include "lint/collector_lint.h"
#include "print/format.h"

namespace cxtm::cli {
namespace {

struct LintFlags {
  std::vector<std::string> files;
  std::string realm;
};

// The realm to check endpoints against: the flag, else the config's when a config is there.
std::optional<std::string> realm_for(const LintFlags& flags, const GlobalOptions& global) {
  if (!flags.realm.empty()) return flags.realm;
  const bool config_named = !global.config_file.empty() || std::getenv("CXTM_O11Y_CONFIG");
  if (!config_named && !std::filesystem::exists(config::config_path(""))) return std::nullopt;
  return global.load_config().splunk.realm;
}

}  // namespace

void setup_lint(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  auto flags = std::make_shared<LintFlags>();
  CLI::App* command = app.add_subcommand(
      "lint", "Lint collector configs: the rendered one, or relay.yaml / manifest files");
  command->footer(
      "Examples:\n"
      "  cxtm-o11y lint                         # the config the tool would deploy\n"
      "  cxtm-o11y lint relay.yaml cm.yaml      # files: collector configs or ConfigMaps\n"
      "  kubectl get cm otel-collector -o yaml | cxtm-o11y lint -\n"
      "Each finding: file:line: severity rule-id: message. Exit 1 when an error is found.");
  command->add_option("files", flags->files, "Files to lint ('-' reads stdin)")
      ->option_text("FILE...");
  command
      ->add_option("--realm", flags->realm,
                   "Realm the exporter endpoints must use (default: the config's)")
      ->option_text("REALM");
  command->callback([flags, &global, &outcome] {
    const auto realm = realm_for(*flags, global);
    std::optional<config::Config> config;
    if (flags->files.empty()) config = global.load_config();
    const auto report = actions::run_lint(
        {.config = config ? &*config : nullptr, .files = flags->files, .realm = realm});
    if (global.format() == print::Format::text) {
      for (const auto& finding : report.findings) {
        fmt::print("{}\n", lint::format_finding(finding));
      }
      const size_t errors = report.errors();
      const size_t warnings = report.warnings();
      fmt::print("{} error{}, {} warning{}\n", errors, errors == 1 ? "" : "s", warnings,
                 warnings == 1 ? "" : "s");
    } else {
      fmt::print("{}", print::format_document(report.to_json(), global.format()));
    }
    outcome.code = report.errors() > 0 ? ExitCode::failed : ExitCode::ok;
  });
}

}  // namespace cxtm::cli
