#pragma once
// Files and stdin from users and clusters are read only up to a size limit: a hostile or
// mistaken input (a 100 MB scalar, `kubectl get cm … | cxtm-o11y lint -` over ConfigMaps anyone
// in the namespace can write) is refused after reading one byte past the limit, before any
// parser sees it, instead of costing minutes and gigabytes.

#include <cstddef>
#include <string>
#include <string_view>

namespace cxtm {

// A cxtm-o11y config or a collector config fits hundreds of times over, a ConfigMap
// (Kubernetes stores at most 1 MiB of data in one) once. yaml-cpp scans a scalar at about
// 0.12 s per MiB, so no input within the limit costs more than that (bench/bench_hostile_yaml).
inline constexpr std::size_t kDefaultMaxInputBytes = 1 << 20;
inline constexpr std::string_view kMaxInputBytesVariable = "CXTM_O11Y_MAX_INPUT_BYTES";

// The limit: $CXTM_O11Y_MAX_INPUT_BYTES (bytes, or with a Ki, Mi or Gi suffix), else the
// default. Error(usage) naming the variable when it is not such a size.
std::size_t max_input_bytes();

// The whole of path ("-": stdin). Error(usage) naming it when it cannot be read or is longer
// than max_bytes (and how to raise the limit).
std::string read_input(const std::string& path, std::size_t max_bytes);

}  // namespace cxtm
