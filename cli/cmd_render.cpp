#include <fmt/core.h>

#include "actions/render.h"
#include "cli/commands.h"
#include "print/format.h"
#include "render/yaml_emit.h"

namespace cxtm::cli {

void setup_render(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  auto options = std::make_shared<actions::RenderOptions>();
  CLI::App* command =
      app.add_subcommand("render", "Render the collector's Kubernetes manifests from the config");
  command->footer(
      "Examples:\n"
      "  cxtm-o11y -c examples/cxtm-poc.yaml render | kubectl apply -f -\n"
      "  cxtm-o11y render --output-dir out/ && kubectl apply -k out/\n"
      "The token Secret is rendered only when the config's access_token.env variable is set.");
  command
      ->add_option("--output-dir", options->output_dir,
                   "Write one file per object plus kustomization.yaml here")
      ->option_text("DIR");
  command->callback([options, &global, &outcome] {
    const auto result = actions::run_render(global.load_config(), *options);
    std::vector<Json> objects;
    for (const auto& object : result.manifests.objects) objects.push_back(object.object);
    if (!options->output_dir.empty()) {
      fmt::print("rendered {} objects into {} ({}kustomization.yaml)\n", objects.size(),
                 options->output_dir, result.secret_rendered ? "token Secret included, " : "");
    } else if (global.format() == print::Format::json) {
      fmt::print("{}", print::format_document(
                           Json{{"apiVersion", "v1"}, {"kind", "List"}, {"items", objects}},
                           print::Format::json));
    } else {
      fmt::print("{}", render::to_yaml_stream(objects));
    }
    outcome.code = ExitCode::ok;
  });
}

}  // namespace cxtm::cli
