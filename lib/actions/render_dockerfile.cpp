#include "actions/render_dockerfile.h"

#include "config/python_packages.h"
#include "render/dockerfile.h"

namespace cxtm::actions {

std::string run_render_dockerfile(const config::Config& config, instrument::PackageSource source) {
  // The whole lock: the installer in each pod picks from it what that app needs.
  const auto& packages = config::python_packages();
  const auto& settings = config.instrumentation;
  return render::render_dockerfile({.source = source,
                                    .requirements = packages.pinned(),
                                    .sdk_version = packages.sdk_version,
                                    .contrib_version = packages.contrib_version,
                                    .path = source == instrument::PackageSource::wheelhouse
                                                ? settings.wheelhouse.path
                                                : settings.prebuilt.path,
                                    .index_url = settings.index_url,
                                    .extra_index_url = settings.extra_index_url,
                                    .trusted_host = settings.trusted_host});
}

}  // namespace cxtm::actions
