#pragma once
// The check after the rollout of a workload the OpenTelemetry Operator injects: the Operator's
// webhook fails open, so a pod it skipped (webhook down, namespace not selected, or its
// informer not holding the Instrumentation yet) starts untraced and nothing says so. Each pod
// of the current template must carry the injection. Pods skipped while the Operator's cache
// caught up are replaced (deleted; their controller creates them again, through the webhook)
// after a pause, up to three times (1, 2 and 4 s); a pod still skipped then is a failure.

#include <functional>
#include <string>
#include <vector>

#include "actions/context.h"
#include "core/duration.h"
#include "kube/kube_client.h"

namespace cxtm::actions {

struct InjectionCheck {
  bool injected = false;              // every pod of the current template
  std::vector<std::string> skipped;   // the pods the Operator did not inject, in the last look
  std::vector<std::string> replaced;  // pods deleted on the way to be created again
};

struct InjectionWait {
  Duration budget = std::chrono::minutes(1);  // for the replacements' rollouts
  Duration poll_interval = std::chrono::seconds(2);
  std::function<bool()> interrupted;
};

// app: the container the Operator was asked to inject.
InjectionCheck verify_operator_injection(Context& context, const kube::ObjectRef& ref,
                                         const std::string& app, const InjectionWait& wait);

}  // namespace cxtm::actions
