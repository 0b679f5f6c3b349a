#pragma once
// The init containers that fill the shared volume, and the volumes they need. The installer
// (templates/instrumentation/installer.py) always runs in the app's own image, so it sees the
// app's Python and the distributions the app has; it gets the locked package set as a plan and
// installs only what the app lacks. Three sources (PackageSource) feed it: pip from an index or
// mirror; pip --no-index from wheels a first init container copies out of a wheelhouse image;
// or the installed packages a first init container copies out of a prebuilt image (no pip).

#include "core/json.h"
#include "instrument/spec.h"

namespace cxtm::instrument {

// The installer's plan: the package set, the source's pip options or staging folder, the
// config's extras and excludes, and what the app container says about PYTHONPATH (its own
// entries are searched for distributions; without one, the image's PYTHONPATH is kept).
Json installer_plan(const InstrumentationSpec& spec, const Json& app_container);

// The installer's argument vector (no shell): python3 -c <installer.py> <plan> <sitecustomize.py>.
Json installer_command(const InstrumentationSpec& spec, const Json& app_container);

// The init containers in the order they run: for wheelhouse and prebuilt the copy out of
// their image, then the installer. The installer runs the app's image unless spec.init_image;
// each takes the app's securityContext where it applies, and a copy container that would run
// as its image's user (often root) under runAsNonRoot gets kCopyUser. Throws Error(usage) when
// there is no image to run.
Json installer_containers(const InstrumentationSpec& spec, const Json& pod,
                          const Json& app_container, const std::string& where);

// The user the copy containers run as when the pod requires non-root and names no user: the
// "nonroot" user of distroless images; any user can read what the Dockerfiles build.
inline constexpr int kCopyUser = 65532;

// The emptyDir volumes the source needs: the packages; the installer's temporary directory;
// the wheels (wheelhouse) or the prebuilt packages (prebuilt).
Json installer_volumes(const InstrumentationSpec& spec);

}  // namespace cxtm::instrument
