#pragma once
// `cxtm-o11y collector rotate-token`: the new access token (from the config's variable, never a
// flag) into the Secret, the collector's pods rolled onto it (checksum/secret in their template
// changes with the token), waited for, and the exporter checked with it (validate's checks 1 to
// 4 and 6 against the collector). When the pods do not come up or the exporter does not get
// through, the previous Secret and DaemonSet are put back: the old token is in use again.
// The previous Secret is held in memory for that, never written to a backup.

#include <optional>

#include "actions/collector_deploy.h"
#include "actions/context.h"
#include "actions/validate.h"
#include "validate/report.h"

namespace cxtm::actions {

struct RotateTokenOptions {
  CollectorDeployOptions deploy;  // dry_run, wait, timeout, rollback (adopt, verify: unused)
  bool validate = true;           // check the exporter with the new token after the rollout
  ValidateOptions validate_options;
};

struct RotateTokenResult {
  CollectorDeployResult deploy;
  std::optional<validate::Report> report;  // when the exporter was checked
};

// Throws Error, before any write, when the Secret is external (rotate it where it is made), the
// token variable is unset, or the config would change more than the token (deploy first).
RotateTokenResult rotate_token(Context& context, const ValidateEdges& edges,
                               const RotateTokenOptions& options);

}  // namespace cxtm::actions
