#include "actions/render.h"

#include <fmt/core.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "config/access_token.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/yaml_emit.h"

namespace cxtm::actions {
namespace {

// dir, created 0700 when missing (whatever the umask); an existing one must be a directory, not
// a symlink, that no one else may write: the files hold the collector's config and the Secret.
void prepare_private_directory(const std::filesystem::path& dir) {
  struct stat info {};
  if (::lstat(dir.c_str(), &info) != 0) {
    std::error_code error;
    if (dir.has_parent_path()) std::filesystem::create_directories(dir.parent_path(), error);
    if (error || ::mkdir(dir.c_str(), 0700) != 0) {
      throw Error(ExitCode::failed, fmt::format("{}: cannot create the directory: {}", dir.string(),
                                                error ? error.message() : std::strerror(errno)));
    }
    return;
  }
  if (!S_ISDIR(info.st_mode)) {
    throw Error(
        ExitCode::usage,
        fmt::format("--output-dir {}: not a directory (a symlink is not followed)", dir.string()));
  }
  if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    throw Error(ExitCode::usage,
                fmt::format("--output-dir {}: others may write it (mode {:04o}), and so replace "
                            "the manifests before they are applied; use a private directory",
                            dir.string(), info.st_mode & 07777));
  }
}

bool is_secret(const render::RenderedObject& object) {
  return render::part_of(object.object) == render::ManifestPart::secret;
}

// Only the objects of one part (render/manifest_parts.h): what an admin applies once, or what
// the operator's deploy writes.
void keep_part(render::ManifestPart part, const config::Config& config,
               const RenderOptions& options, RenderResult& result) {
  if (part == render::ManifestPart::secret) {
    if (!result.secret_rendered) {
      throw Error(ExitCode::usage,
                  fmt::format("render --part secret: the token Secret is rendered from the token "
                              "in ${}, which is not set",
                              config.splunk.access_token.env));
    }
    if (options.output_dir.empty() && !options.include_secret) {
      throw Error(ExitCode::usage,
                  "render --part secret: the Secret holds the token; print it with "
                  "--include-secret, or write it to a private file with --output-dir");
    }
  }
  std::erase_if(result.manifests.objects,
                [part](const auto& object) { return render::part_of(object.object) != part; });
  result.secret_rendered = result.secret_rendered && part == render::ManifestPart::secret;
}

}  // namespace

RenderResult run_render(const config::Config& config, const RenderOptions& options) {
  const auto token = config::access_token_from_env(config);
  RenderResult result{.manifests = render::render_manifests(config, token),
                      .secret_rendered = token.has_value()};
  if (options.part) keep_part(*options.part, config, options, result);
  if (options.output_dir.empty()) {
    if (!options.include_secret && result.secret_rendered) {
      auto& objects = result.manifests.objects;
      std::erase_if(objects, [](const auto& object) { return is_secret(object); });
      result.secret_left_out = true;
    }
    return result;
  }

  const std::filesystem::path dir(options.output_dir);
  prepare_private_directory(dir);
  for (const auto& object : result.manifests.objects) {
    const bool secret = is_secret(object);
    const auto path = dir / object.file_name;
    write_file_atomic(path, to_yaml(object.object), secret ? FileMode::private_ : FileMode::shared);
    result.written.push_back(path);
  }
  const auto kustomization = dir / "kustomization.yaml";
  write_file_atomic(kustomization, render::kustomization(result.manifests.objects));
  result.written.push_back(kustomization);
  return result;
}

}  // namespace cxtm::actions
