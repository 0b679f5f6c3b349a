#pragma once
// Printing per-service results (instrument, rollback) in text or as one JSON/YAML document.

#include <vector>

#include "actions/service_result.h"
#include "print/format.h"

namespace cxtm::cli {

// Text: one line per service, then warnings, diffs (dry run), pod problems and log tails.
// json/yaml: {"services": [...], "exitCode": N}.
void print_service_results(const std::vector<actions::ServiceResult>& results, print::Format format,
                           bool show_diff);

}  // namespace cxtm::cli
