#pragma once
// Printing `dashboards apply`'s result (also part of `plan`'s).

#include "actions/dashboards_apply.h"
#include "core/json.h"

namespace cxtm::cli {

// -o json/yaml: each object's change, id and diff, the group's URL, the message.
Json apply_json(const actions::DashboardsApplyResult& result, bool dry_run);

// Text: on a dry run each diff and a line per object; then the message and the group's URL.
void print_apply_text(const actions::DashboardsApplyResult& result, bool dry_run);

}  // namespace cxtm::cli
