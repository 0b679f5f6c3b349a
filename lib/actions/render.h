#pragma once
// `cxtm-o11y render`: the collector's manifests as one YAML stream, or one file per object
// plus kustomization.yaml in a directory.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "render/manifests.h"

namespace cxtm::actions {

struct RenderOptions {
  std::string output_dir;  // empty: nothing is written
};

struct RenderResult {
  render::CollectorManifests manifests;
  bool secret_rendered = false;
  std::vector<std::filesystem::path> written;  // files written under output_dir
};

// Renders with the token from the environment, if set; writes files when output_dir is set.
RenderResult run_render(const config::Config& config, const RenderOptions& options);

}  // namespace cxtm::actions
