#pragma once
// `instrument --output-dir` and `rollback --output-dir`: the same change as a live instrument,
// written for Git instead of the cluster (Argo CD, Flux). Per service one guarded JSON patch
// (gitops/guarded_patch.h) in <dir>/cxtm-o11y/<service>.yaml and its entry in the directory's
// kustomization, which `kustomize build` turns into exactly the Deployment `instrument` writes.
// The Deployment comes from a manifest file (--from-file: no cluster needed) or the cluster.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "actions/context.h"
#include "actions/service_result.h"
#include "config/config.h"
#include "instrument/transform.h"

namespace cxtm::actions {

inline constexpr std::string_view kPatchFolder = "cxtm-o11y";

struct GitOutputOptions {
  std::filesystem::path output_dir;  // holds (or gets) the kustomization
  std::string from_file;             // manifests holding the Deployments; empty: the live ones
  bool dry_run = false;              // show the files' diffs; write nothing
  instrument::Force force = instrument::Force::no;
  // --via: who injects; with the Operator the namespace's Instrumentation goes to Git too
  // (<dir>/cxtm-o11y/instrumentation-<namespace>.yaml, under resources:).
  std::optional<instrument::Injector> injector;
};

// Writes (or updates) each service's patch and kustomization entry; unchanged when they are
// what they would be. Reads the cluster only without from_file.
std::vector<ServiceResult> instrument_in_git(
    Context& context, const std::vector<const config::ServiceSettings*>& services,
    const GitOutputOptions& options);

// Removes each service's patch and entry; unchanged when there are none. Never reads the
// cluster.
std::vector<ServiceResult> rollback_in_git(
    const config::Config& config, const std::vector<const config::ServiceSettings*>& services,
    const GitOutputOptions& options);

}  // namespace cxtm::actions
