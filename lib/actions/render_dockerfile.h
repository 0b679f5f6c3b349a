#pragma once
// `cxtm-o11y render dockerfile`: the Dockerfile of an image for an air-gapped package source,
// from the pinned package set and the config's instrumentation settings.

#include <string>

#include "config/config.h"
#include "instrument/spec.h"

namespace cxtm::actions {

// The Dockerfile for source (prebuilt or wheelhouse): the base packages plus every extra that
// the config names (top level or any service), so one image serves every service; the folder
// and the index to build from are the top-level instrumentation settings.
std::string run_render_dockerfile(const config::Config& config, instrument::PackageSource source);

}  // namespace cxtm::actions
