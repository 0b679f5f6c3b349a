#include <doctest/doctest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

#include "core/parallel.h"

namespace test_core_parallel {

TEST_SUITE("core/parallel") {
  TEST_CASE("every index runs exactly once, never more at a time than the width") {
    std::vector<std::atomic<int>> runs(50);
    std::atomic<int> running{0}, most{0};
    cxtm::for_each_parallel(runs.size(), 3, [&](size_t i) {
      const int now = ++running;
      int seen = most.load();
      while (now > seen && !most.compare_exchange_weak(seen, now)) {
      }
      ++runs[i];
      --running;
    });
    for (const auto& count : runs) CHECK(count == 1);
    CHECK(most <= 3);
  }

  TEST_CASE("an exception reaches the caller after the others finished") {
    std::atomic<int> done{0};
    CHECK_THROWS_AS(cxtm::for_each_parallel(10, 2,
                                            [&](size_t i) {
                                              if (i == 3) throw std::runtime_error("x");
                                              ++done;
                                            }),
                    std::runtime_error);
    CHECK(done == 9);
  }
}

}  // namespace test_core_parallel
