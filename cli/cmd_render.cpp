#include <fmt/core.h>

#include "actions/render.h"
#include "actions/render_dockerfile.h"
#include "cli/commands.h"
#include "core/yaml_emit.h"
#include "print/format.h"

namespace cxtm::cli {
namespace {

CLI::App* setup_render_dockerfile(CLI::App& render, const GlobalOptions& global,
                                  CommandOutcome& outcome) {
  auto source = std::make_shared<std::string>("prebuilt");
  CLI::App* command = render.add_subcommand(
      "dockerfile",
      "Print the Dockerfile of an image for an air-gapped cluster: the pinned OpenTelemetry "
      "packages installed (prebuilt) or as wheels (wheelhouse)");
  command->footer(
      "Examples:\n"
      "  cxtm-o11y render dockerfile > Dockerfile && docker build --build-arg "
      "PYTHON_IMAGE=python:3.11-slim -t registry.example.com/cxtm-otel-python:py3.11 .\n"
      "  cxtm-o11y render dockerfile --source wheelhouse > Dockerfile\n"
      "Then set instrumentation.source and instrumentation.<source>.image in the config.");
  command->add_option("--source", *source, "The package source the image is for")
      ->check(CLI::IsMember({"prebuilt", "wheelhouse"}))
      ->option_text("prebuilt|wheelhouse");
  command->callback([source, &global, &outcome] {
    fmt::print("{}", actions::run_render_dockerfile(global.load_config(),
                                                    *instrument::parse_package_source(*source)));
    outcome.code = ExitCode::ok;
  });
  return command;
}

}  // namespace

void setup_render(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  auto options = std::make_shared<actions::RenderOptions>();
  auto part = std::make_shared<std::string>();
  CLI::App* command =
      app.add_subcommand("render", "Render the collector's Kubernetes manifests from the config");
  command->footer(
      "Examples:\n"
      "  cxtm-o11y -c examples/cxtm-poc.yaml render | kubectl apply -f -\n"
      "  cxtm-o11y render --output-dir out/ && kubectl apply -k out/\n"
      "  cxtm-o11y render --part cluster | kubectl apply -f -   # an admin, once\n"
      "The token Secret is rendered only when the config's access_token.env variable is set,\n"
      "into --output-dir (a 0600 file), or to stdout with --include-secret.");
  command
      ->add_option("--output-dir", options->output_dir,
                   "Write one file per object plus kustomization.yaml here (created 0700)")
      ->option_text("DIR");
  command->add_flag("--include-secret", options->include_secret,
                    "Print the token Secret to stdout too (it ends up wherever stdout goes)");
  command
      ->add_option("--part", *part,
                   "Only the objects an admin applies once (cluster: Namespace, ClusterRole, "
                   "ClusterRoleBinding; secret: the token Secret) or the ones collector deploy "
                   "writes under the operator's role (namespaced)")
      ->check(CLI::IsMember({"cluster", "secret", "namespaced"}))
      ->option_text("cluster|secret|namespaced");
  CLI::App* dockerfile = setup_render_dockerfile(*command, global, outcome);
  command->callback([options, part, dockerfile, &global, &outcome] {
    if (dockerfile->parsed()) return;  // `render dockerfile` has printed its own output
    if (!part->empty()) options->part = render::parse_manifest_part(*part);
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
      fmt::print("{}", to_yaml_stream(objects));
    }
    if (result.secret_left_out) {
      fmt::print(stderr,
                 "note: the token Secret is left out of stdout (--include-secret prints it, "
                 "--output-dir writes it to a private file)\n");
    }
    outcome.code = ExitCode::ok;
  });
}

}  // namespace cxtm::cli
