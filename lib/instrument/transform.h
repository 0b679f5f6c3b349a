#pragma once
// The pure heart of `instrument` and `rollback`: Deployment JSON in, Deployment JSON out.
// No I/O; every rule of zero-code Python auto-instrumentation lives here.

#include <array>
#include <string>
#include <vector>

#include "core/json.h"
#include "instrument/spec.h"

namespace cxtm::instrument {

// Names the tool writes; rollback removes exactly these.
inline constexpr std::string_view kVolumeName = "otel-auto-instrumentation";
inline constexpr std::string_view kPipTmpVolumeName = "otel-pip-tmp";
inline constexpr std::string_view kInitContainerName = "otel-auto-instrumentation";
inline constexpr std::string_view kMountPath = "/otel-auto-instrumentation";
// Source wheelhouse: the init container that copies the wheels, its volume and where pip
// finds them.
inline constexpr std::string_view kWheelhouseContainerName = "otel-wheelhouse";
inline constexpr std::string_view kWheelhouseVolumeName = "otel-wheelhouse";
inline constexpr std::string_view kWheelhouseMountPath = "/otel-wheelhouse";
// Source prebuilt: the init container that copies the installed packages out of the prebuilt
// image, and the volume it copies them into for the installer to choose from.
inline constexpr std::string_view kPrebuiltContainerName = "otel-prebuilt";
inline constexpr std::string_view kPrebuiltVolumeName = "otel-prebuilt";
inline constexpr std::string_view kPrebuiltMountPath = "/otel-prebuilt";
// Every init container and volume the tool may write (rollback removes exactly these).
inline constexpr std::array<std::string_view, 3> kOwnedInitContainers = {
    kWheelhouseContainerName, kPrebuiltContainerName, kInitContainerName};
inline constexpr std::array<std::string_view, 4> kOwnedVolumes = {
    kVolumeName, kPipTmpVolumeName, kWheelhouseVolumeName, kPrebuiltVolumeName};
inline constexpr std::string_view kAnnotationInstrumented = "cxtm-o11y.io/instrumented";
inline constexpr std::string_view kAnnotationVersion = "cxtm-o11y.io/tool-version";
inline constexpr std::string_view kAnnotationSpecHash = "cxtm-o11y.io/spec-hash";
// On the pod template (it describes that template, also in ReplicaSet history): the app
// container's name, its own entries for the variables the tool sets as they were, the entries
// the tool wrote, and its image then, so that an upgrade and a rollback take out exactly what
// the tool added or changed and nothing anyone changed since.
inline constexpr std::string_view kAnnotationOriginalEnv = "cxtm-o11y.io/original-env";

enum class Force { no, yes };

enum class State {
  not_instrumented,  // no trace of OpenTelemetry setup
  poc_partial,       // the POC's env-var-only setup: PYTHONPATH=/otel-auto-instrumentation and
                     // OTEL_* set, but no volume and no init container
  current,           // instrumented by this tool with the same spec hash
  outdated,          // instrumented by this tool with another spec hash
};

// What the Deployment is now, relative to spec.
State detect_state(const Json& deployment, const InstrumentationSpec& spec);

// The app container's name: spec.container if set and present, else the only container, else
// the one the tool instrumented before (its record says which).
// Throws Error(usage) naming the service's Deployment and listing the containers when it is
// ambiguous or the named one does not exist.
std::string pick_container(const Json& deployment, const InstrumentationSpec& spec);

struct Transformed {
  Json deployment;                    // the instrumented Deployment
  std::vector<std::string> warnings;  // merged values, preserved user settings, runtime traps
  std::vector<std::string> notes;     // runtime traps the instrumentation handles
};

// Instruments (or upgrades, or completes a POC-partial) deployment. Throws Error(conflict) for
// a real conflict with the app's own settings unless force, and Error(usage) for what cannot
// be merged at all (PYTHONPATH from valueFrom). tool_version goes into the annotation.
Transformed instrument_deployment(const Json& deployment, const InstrumentationSpec& spec,
                                  const std::string& tool_version, Force force = Force::no);

// The Deployment with the pod template and the tool's annotations put back as they were in
// original (a backup). Everything else of current (replicas, status, metadata) is kept.
Json restore_deployment(const Json& current, const Json& original);

// The Deployment as it goes into a backup: status and server-owned metadata removed
// (managedFields, resourceVersion, uid, creationTimestamp, generation, selfLink).
Json strip_for_backup(const Json& deployment);

}  // namespace cxtm::instrument
