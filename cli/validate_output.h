#pragma once
// The printing of validate's report (also instrument's checks 4 and 5, and rotate-token's).

#include <string>

#include "print/format.h"
#include "validate/report.h"

namespace cxtm::cli {

// Text: a table of the checks (details and remedy under each that did not pass) and a verdict
// line. json/yaml: Report::to_json().
void print_validate_report(const validate::Report& report, print::Printing printing);

// The table and verdict line alone; each status and the verdict coloured when colour is on.
std::string validate_report_text(const validate::Report& report,
                                 print::Colour colour = print::Colour::off);

}  // namespace cxtm::cli
