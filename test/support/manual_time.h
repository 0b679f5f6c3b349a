#pragma once
// A TimeSource whose clock moves only when something sleeps on it: a pause returns at once and
// advances now() by its length. Tests of deadlines and backoffs run in no time, and see every
// pause that was asked for. Safe to share between threads.

#include <mutex>
#include <vector>

#include "core/time_source.h"

namespace cxtm::testing {

class ManualTime final : public TimeSource {
 public:
  Clock::time_point now() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  void sleep_for(Duration pause) override {
    std::lock_guard lock(mutex_);
    now_ += pause;
    pauses_.push_back(pause);
  }
  // Every pause asked for, in order.
  std::vector<Duration> pauses() const {
    std::lock_guard lock(mutex_);
    return pauses_;
  }

 private:
  mutable std::mutex mutex_;
  Clock::time_point now_{};  // the steady clock's epoch: far from any real reading
  std::vector<Duration> pauses_;
};

}  // namespace cxtm::testing
