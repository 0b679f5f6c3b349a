#pragma once
// Printing per-service results (instrument, rollback) in text or as one JSON/YAML document.

#include <cstdio>
#include <vector>

#include "actions/service_result.h"
#include "print/format.h"
#include "validate/report.h"

namespace cxtm::cli {

// Text: one line per service, then warnings, diffs (dry run), pod problems and log tails, then
// the validation's table when there is one. json/yaml: {"services": [...], "changesPending":
// bool (a dry run found something to do), "exitCode": N}, with
// "validation" (validate's report) when there is one.
// rollback --exact: per service, what it takes away beyond the tool's change and, for an
// unverified original, its pod template in full.
void print_exact_previews(const std::vector<actions::ServiceResult>& results, std::FILE* stream);

void print_service_results(const std::vector<actions::ServiceResult>& results, print::Printing printing,
                           Duration elapsed, bool show_diff,
                           const validate::Report* validation = nullptr);

}  // namespace cxtm::cli
