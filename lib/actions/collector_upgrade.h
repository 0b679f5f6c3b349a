#pragma once
// `cxtm-o11y collector upgrade [--to VERSION]`: the collector moved to another pinned release
// (the config's collector.version, or --to): the diff of its image and config shown first,
// the config rendered for that version (its component names: config/collector_version.h) and
// linted against it, then rolled out with deploy's wait and undo.

#include <string>

#include "actions/collector_deploy.h"
#include "actions/context.h"

namespace cxtm::actions {

struct UpgradeOptions {
  CollectorDeployOptions deploy;
  std::string to;  // a pinned release; empty: the config's collector.version
};

struct UpgradeResult {
  std::string from;  // the running collector's version (its image tag)
  std::string to;
  bool pinned = true;  // `to` is the config's collector.version (else pin it there)
  CollectorDeployResult deploy;
};

// Throws Error before any write when --to is no pinned release, or no collector is deployed.
UpgradeResult upgrade_collector(Context& context, const UpgradeOptions& options);

}  // namespace cxtm::actions
