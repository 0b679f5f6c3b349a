#pragma once
// The init containers that put the pinned OpenTelemetry packages into the shared volume, and
// the volumes they need. Three sources (PackageSource): pip from an index or mirror; pip
// --no-index from a wheelhouse that a second init container copies out of an image; or a plain
// copy out of a prebuilt image, with no pip at all.

#include "core/json.h"
#include "instrument/spec.h"

namespace cxtm::instrument {

// The installer's argument vector (no shell): pip install --target the volume, with the mirror
// options (index) or --no-index --find-links the wheelhouse; for prebuilt, cp -R out of the
// image's folder.
Json installer_command(const InstrumentationSpec& spec);

// The init containers in the order they run: for wheelhouse, the wheel copy and then pip;
// otherwise the installer alone. The installer runs the app's image unless spec.init_image
// (index, wheelhouse) or the prebuilt image; each takes the app's securityContext where it
// applies. Throws Error(usage) when there is no image to run.
Json installer_containers(const InstrumentationSpec& spec, const Json& app_container,
                          const std::string& where);

// The emptyDir volumes the source needs: the packages; pip's temporary directory (index,
// wheelhouse); the wheels (wheelhouse).
Json installer_volumes(const InstrumentationSpec& spec);

}  // namespace cxtm::instrument
