#pragma once
// What a run of `instrument` or `rollback` over its services comes to: each service's result,
// whether it was a dry run, and for instrument the check that the services are traced. Printers
// read this, never the flags.

#include <optional>
#include <string>
#include <vector>

#include "actions/service_result.h"
#include "core/error.h"
#include "core/json.h"
#include "validate/report.h"

namespace cxtm::actions {

struct ServiceRun {
  bool dry_run = false;
  std::vector<ServiceResult> results;
  // instrument: validate's checks 4 and 5 for the services it just wrote, when they ran
  std::optional<validate::Report> validation;

  // The first failed result's code; when every result is ok, the validation's.
  ExitCode code() const;
  // A dry run that found something to do.
  bool changes_pending() const;
  // The services written but not proven traced: their check 5 failed (the change stays).
  std::vector<std::string> not_traced() const;
  // {"services": [...], "changesPending", "exitCode", "dryRun"; "validation", "notTraced" when
  // validated}: the -o json/yaml document.
  Json to_json() const;
};

}  // namespace cxtm::actions
