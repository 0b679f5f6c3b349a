#pragma once
// Dockerfiles for the air-gapped package sources (templates/instrumentation/Dockerfile.*): an
// image holding the installed packages (prebuilt) or their wheels (wheelhouse), built from the
// pinned package set. Pure: text in, text out.

#include <string>
#include <vector>

#include "instrument/spec.h"

namespace cxtm::render {

struct DockerfileInput {
  instrument::PackageSource source = instrument::PackageSource::prebuilt;
  std::vector<std::string> requirements;  // "name==version", as the init container installs
  std::string sdk_version;
  std::string contrib_version;
  std::string path;       // the folder in the image: prebuilt.path or wheelhouse.path
  std::string index_url;  // where the build finds the packages; empty: PyPI
  std::string extra_index_url;
  std::string trusted_host;
};

// The Dockerfile. Throws Error(usage) for source index (it needs no image), a requirement that
// is not a plain "name==version" or "name[extra]==version", or a path that is not absolute.
std::string render_dockerfile(const DockerfileInput& input);

}  // namespace cxtm::render
