#pragma once
// Printing per-service results (instrument, rollback) in text or as one JSON/YAML document.

#include <vector>

#include "actions/service_result.h"
#include "print/format.h"
#include "validate/report.h"

namespace cxtm::cli {

// Text: one line per service, then warnings, diffs (dry run), pod problems and log tails, then
// the validation's table when there is one. json/yaml: {"services": [...], "exitCode": N}, with
// "validation" (validate's report) when there is one.
void print_service_results(const std::vector<actions::ServiceResult>& results, print::Format format,
                           bool show_diff, const validate::Report* validation = nullptr);

}  // namespace cxtm::cli
