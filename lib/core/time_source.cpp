#include "core/time_source.h"

#include <thread>

namespace cxtm {
namespace {

class SystemTime final : public TimeSource {
 public:
  Clock::time_point now() const override { return Clock::now(); }
  void sleep_for(Duration pause) override { std::this_thread::sleep_for(pause); }
};

}  // namespace

TimeSource& system_time() {
  static SystemTime time;
  return time;
}

}  // namespace cxtm
