#pragma once
// Time as the tool's waits and retries see it: a reading of the steady clock and a pause. It is
// injected (actions::Context, kube::RetryPolicy, rollout::WaitOptions), so tests run deadlines
// and backoffs on a clock of their own (test/support/manual_time.h) without sleeping.

#include "core/duration.h"

namespace cxtm {

class TimeSource {
 public:
  virtual ~TimeSource() = default;
  virtual Clock::time_point now() const = 0;
  virtual void sleep_for(Duration pause) = 0;
};

// The machine's steady clock, and a real sleep.
TimeSource& system_time();

}  // namespace cxtm
