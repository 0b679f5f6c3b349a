#pragma once
// The Operator's side of `instrument --via operator`: its Instrumentation CRD served, and the
// tool's Instrumentation written in each namespace once per run, before any workload there asks
// the Operator for it (a pod created while it is missing is not injected, and not told so).

#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "actions/context.h"
#include "actions/service_result.h"
#include "core/json.h"
#include "instrument/spec.h"
#include "kube/kube_client.h"

namespace cxtm::actions {

struct InstrumentationOutcome {
  bool changed = false;  // written, or on a dry run: would be
  std::string message;   // "Instrumentation default/cxtm-o11y created"
};

class OperatorSetup {
 public:
  OperatorSetup(kube::KubeClient& kube, bool dry_run) : kube_(kube), dry_run_(dry_run) {}

  // The tool's Instrumentation for spec in namespace_, as it should be: written when missing
  // or different (server-side apply; a server dry run on a dry run). The first caller per
  // namespace writes it and later callers get its outcome (or its error). Throws
  // Error(not_found) when the API server does not serve Instrumentations (no Operator),
  // Error(usage) when another service of the namespace wants a different one.
  InstrumentationOutcome ensure(const instrument::InstrumentationSpec& spec,
                                const std::string& namespace_);

 private:
  struct Done {
    Json desired;
    InstrumentationOutcome outcome;
    std::exception_ptr error;
  };
  InstrumentationOutcome write(const Json& desired);

  kube::KubeClient& kube_;
  bool dry_run_;
  std::mutex mutex_;
  std::optional<bool> served_;
  std::map<std::string, Done> done_;  // by namespace
};

// The tool's Instrumentation in namespace_ removed when no workload there asks the Operator
// for it any more (workloads: the namespace's objects of `workloads`, "deployments.apps", ...,
// as they are now). Returns "Instrumentation <ns>/cxtm-o11y deleted", or "" when it stays or is
// not there.
std::string remove_unused_instrumentation(kube::KubeClient& kube, const std::string& namespace_,
                                          const std::vector<std::string>& workloads, bool dry_run);

// remove_unused_instrumentation for a workload that stopped asking the Operator (rolled back,
// or put back after a failed injection): what it did as a note in result; a failure to read or
// delete as a warning (the Instrumentation then stays, unused).
void clean_up_instrumentation(Context& context, const std::string& namespace_,
                              ServiceResult& result);

}  // namespace cxtm::actions
