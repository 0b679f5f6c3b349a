#include "actions/render.h"

#include <fmt/core.h>

#include "config/access_token.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "render/yaml_emit.h"

namespace cxtm::actions {

RenderResult run_render(const config::Config& config, const RenderOptions& options) {
  const auto token = config::access_token_from_env(config);
  RenderResult result{.manifests = render::render_manifests(config, token),
                      .secret_rendered = token.has_value()};
  if (options.output_dir.empty()) return result;

  const std::filesystem::path dir(options.output_dir);
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    throw Error(ExitCode::failed,
                fmt::format("{}: cannot create the directory: {}", dir.string(), error.message()));
  }
  for (const auto& object : result.manifests.objects) {
    const bool secret = object.object.value("kind", "") == "Secret";
    const auto path = dir / object.file_name;
    write_file_atomic(path, render::to_yaml(object.object),
                      secret ? FileMode::private_ : FileMode::shared);
    result.written.push_back(path);
  }
  const auto kustomization = dir / "kustomization.yaml";
  write_file_atomic(kustomization, render::kustomization(result.manifests.objects));
  result.written.push_back(kustomization);
  return result;
}

}  // namespace cxtm::actions
