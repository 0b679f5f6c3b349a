#include <fmt/core.h>

#include <filesystem>

#include "cli/commands.h"
#include "core/bounded_input.h"
#include "lint/collector_lint.h"
#include "print/format.h"
#include "render/manifests.h"

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
    const lint::LintOptions options{.realm = realm_for(*flags, global)};
    std::vector<lint::Finding> findings;
    const auto add = [&](const std::string& text, const std::string& name) {
      auto found = lint::lint_collector_config(text, name, options);
      findings.insert(findings.end(), found.begin(), found.end());
    };
    if (flags->files.empty()) {
      const auto config = global.load_config();
      lint::LintOptions rendered = options;
      rendered.collector_version = config::parse_collector_version(config.collector.version);
      auto found =
          lint::lint_collector_config(render::render_collector_config(config),
                                      "relay.yaml (rendered from " + config.source + ")", rendered);
      findings.insert(findings.end(), found.begin(), found.end());
    }
    const std::size_t max_bytes = max_input_bytes();
    for (const auto& file : flags->files) {
      add(read_input(file, max_bytes), file == "-" ? "<stdin>" : file);
    }
    lint::sort_findings(findings);
    const size_t errors = static_cast<size_t>(
        std::count_if(findings.begin(), findings.end(),
                      [](const lint::Finding& f) { return f.severity == lint::Severity::error; }));
    if (global.format() == print::Format::text) {
      for (const auto& finding : findings) fmt::print("{}\n", lint::format_finding(finding));
      fmt::print("{} error{}, {} warning{}\n", errors, errors == 1 ? "" : "s",
                 findings.size() - errors, findings.size() - errors == 1 ? "" : "s");
    } else {
      fmt::print("{}", print::format_document(Json{{"findings", lint::to_json(findings)},
                                                   {"errors", errors},
                                                   {"warnings", findings.size() - errors}},
                                              global.format()));
    }
    outcome.code = errors > 0 ? ExitCode::failed : ExitCode::ok;
  });
}

}  // namespace cxtm::cli
