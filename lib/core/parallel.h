#pragma once
// Runs work(0) … work(count-1) on at most `width` threads, each taking the next index when it
// is free. The first exception thrown is rethrown after every thread has finished.

#include <cstddef>
#include <functional>

namespace cxtm {

void for_each_parallel(size_t count, size_t width, const std::function<void(size_t)>& work);

}  // namespace cxtm
