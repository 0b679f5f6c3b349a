#pragma once
// The app container's environment: what zero-code Python instrumentation needs, merged into
// what the app already sets without reordering or rewriting anything else, and taken out again.

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "instrument/python_runtime.h"
#include "instrument/spec.h"
#include "instrument/transform.h"

namespace cxtm::instrument {

// Where the installer writes the tool's sitecustomize.py (templates/instrumentation/): first on
// PYTHONPATH, so Python runs it at start-up and it starts the SDK from the shared volume.
inline constexpr std::string_view kSitecustomizeDir = "/otel-auto-instrumentation/cxtm-o11y";
// Where opentelemetry-instrumentation's own sitecustomize.py is, which tool versions before
// the layout 2 put first on PYTHONPATH: still the tool's entry when undoing them.
inline constexpr std::string_view kLegacySitecustomizeDir =
    "/otel-auto-instrumentation/opentelemetry/instrumentation/auto_instrumentation";

// Downward-API variables OTEL_RESOURCE_ATTRIBUTES refers to as $(NAME).
inline constexpr std::string_view kEnvPodName = "OTEL_K8S_POD_NAME";
inline constexpr std::string_view kEnvNodeName = "OTEL_K8S_NODE_NAME";
inline constexpr std::string_view kEnvNamespace = "OTEL_K8S_NAMESPACE";
inline constexpr std::string_view kEnvResourceAttributes = "OTEL_RESOURCE_ATTRIBUTES";
inline constexpr std::string_view kEnvPythonPath = "PYTHONPATH";

// Every variable the tool sets in the app container, in the order it appends the missing ones.
inline constexpr std::array<std::string_view, 13> kOwnedEnvNames = {kEnvPodName,
                                                                    kEnvNodeName,
                                                                    kEnvNamespace,
                                                                    "OTEL_SERVICE_NAME",
                                                                    "OTEL_EXPORTER_OTLP_ENDPOINT",
                                                                    "OTEL_EXPORTER_OTLP_PROTOCOL",
                                                                    "OTEL_TRACES_EXPORTER",
                                                                    "OTEL_METRICS_EXPORTER",
                                                                    "OTEL_LOGS_EXPORTER",
                                                                    kEnvResourceAttributes,
                                                                    kEnvGeventPatch,
                                                                    kEnvExcludedUrls,
                                                                    kEnvPythonPath};

struct MergedEnv {
  Json env;       // the container's new env list
  Json original;  // the container's own entries with an owned name, as they were (the effective,
                  // last one of each): what unmerge_env puts back
  std::vector<std::string> warnings;
};

// Whose telemetry it is, beyond the spec: the resource attributes the OpenTelemetry Operator
// sets (k8s.deployment.name, k8s.container.name, service.version from the image's tag, and
// service.instance.id as <namespace>.<pod>.<container>).
struct AppIdentity {
  std::string deployment;
  std::string container;
  std::string image;
};

// The image's tag ("2.14.1" of "registry/app:2.14.1@sha256:..."), or "" when it has none or
// it is "latest", which says nothing about the version.
std::string image_tag(std::string_view image);

// Merges the instrumentation's variables into env (a container's env list, or null), with the
// runtime's (python_runtime().env). `where` names the Deployment and container for messages.
// Throws Error(conflict) listing every variable the app sets differently unless force, and
// Error(usage) for a PYTHONPATH from valueFrom or a downward-API variable defined after
// OTEL_RESOURCE_ATTRIBUTES.
MergedEnv merge_env(const Json& env, const InstrumentationSpec& spec, const AppIdentity& app,
                    const std::vector<std::pair<std::string, std::string>>& runtime_env,
                    Force force, std::string_view where);

struct UnmergedEnv {
  Json env;
  std::vector<std::string> left_alone;  // owned variables the tool cannot attribute, and why
};

// env with the merge undone, for each owned variable the tool wrote (an entry of `set`):
// - still as the tool wrote it: the app's own entry from `original` put back in its place, or
//   the variable removed when the app had none;
// - changed since (by the app team, a GitOps sync): left as it is and named; a PYTHONPATH
//   loses only the tool's entries;
// - removed since: stays removed, and is named.
// A `set` of null (a record written before the tool kept one) takes every owned entry for the
// tool's. Everything else stays where it is.
UnmergedEnv unmerge_env(const Json& env, const Json& original, const Json& set);

// The entries of env with an owned name (the effective one of each), in kOwnedEnvNames order.
Json owned_entries(const Json& env);

// PYTHONPATH for the app: the sitecustomize directory, the existing entries, the volume root.
// Entries that already are one of ours (an earlier run, the POC's bare volume path) are dropped
// so that nothing appears twice.
std::string wrap_pythonpath(std::string_view existing);

// A PYTHONPATH value without the tool's entries (the sitecustomize directory, the volume root).
std::string unwrap_pythonpath(std::string_view value);

// Whether a PYTHONPATH value has the volume root or the sitecustomize directory as an entry.
bool pythonpath_has_ours(std::string_view value);

}  // namespace cxtm::instrument
