#pragma once
// Printing a run over services (instrument, rollback) in text or as one JSON/YAML document.

#include <cstdio>
#include <vector>

#include "actions/service_run.h"
#include "core/duration.h"
#include "print/format.h"

namespace cxtm::cli {

// rollback --exact: per service, what it takes away beyond the tool's change and, for an
// unverified original, its pod template in full.
void print_exact_previews(const std::vector<actions::ServiceResult>& results, std::FILE* stream);

// When the pod template's diff is printed: rollback always shows what it changes; instrument
// on a dry run.
enum class Diffs { always, on_dry_run };

// Text: one line per service, then warnings, diffs, pod problems and log tails, then the
// validation's table when there is one; a failed service is an error line on stderr.
// json/yaml: ServiceRun::to_json().
void print_service_run(const actions::ServiceRun& run, print::Printing printing, Duration elapsed,
                       Diffs diffs);

}  // namespace cxtm::cli
