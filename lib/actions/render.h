#pragma once
// `cxtm-o11y render`: the collector's manifests as one YAML stream, or one file per object
// plus kustomization.yaml in a directory.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "render/manifest_parts.h"
#include "render/manifests.h"

namespace cxtm::actions {

struct RenderOptions {
  std::string output_dir;       // empty: nothing is written
  bool include_secret = false;  // without output_dir: keep the token Secret in the result
  std::optional<render::ManifestPart> part;  // only these objects; nullopt: all
};

struct RenderResult {
  render::CollectorManifests manifests;
  bool secret_rendered = false;
  bool secret_left_out = false;                // rendered, but not for stdout (no --include-secret)
  std::vector<std::filesystem::path> written;  // files written under output_dir
};

// Renders with the token from the environment, if set; writes files when output_dir is set (a
// directory created 0700; an existing one others may write is refused). Without output_dir the
// token Secret is left out of the result unless include_secret: stdout ends up in CI logs.
// Error(usage) for --part secret without a token, or to stdout without include_secret.
RenderResult run_render(const config::Config& config, const RenderOptions& options);

}  // namespace cxtm::actions
