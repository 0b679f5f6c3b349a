#pragma once
// The init container that pip-installs the pinned OpenTelemetry packages into the shared
// volume, and the volumes it needs.

#include "core/json.h"
#include "instrument/spec.h"

namespace cxtm::instrument {

// pip's argument vector (no shell): install --target the volume, with the mirror options set.
Json installer_command(const InstrumentationSpec& spec);

// The init container for app_container (the app's image unless spec.init_image; its pull
// policy and, where it applies, its securityContext). Throws Error(usage) when there is no
// image to run.
Json installer_container(const InstrumentationSpec& spec, const Json& app_container,
                         const std::string& where);

// The emptyDir volumes: the packages, and pip's temporary directory.
Json installer_volumes();

}  // namespace cxtm::instrument
