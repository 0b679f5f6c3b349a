#include "actions/render_dockerfile.h"

#include <algorithm>

#include "config/python_packages.h"
#include "render/dockerfile.h"

namespace cxtm::actions {

std::string run_render_dockerfile(const config::Config& config, instrument::PackageSource source) {
  std::vector<std::string> extras = config.instrumentation.extras;
  for (const auto& service : config.services) {
    for (const auto& extra : service.instrumentation.extras) {
      if (std::find(extras.begin(), extras.end(), extra) == extras.end()) extras.push_back(extra);
    }
  }
  const auto& packages = config::python_packages();
  const auto& settings = config.instrumentation;
  return render::render_dockerfile({.source = source,
                                    .requirements = packages.requirements(extras),
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
