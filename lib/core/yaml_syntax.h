#pragma once
// YAML text checked with libyaml, the reference C parser, before yaml-cpp builds a tree. Two
// reasons: yaml-cpp 0.7 (Debian 12) loops forever, allocating, on some documents (a ',' at the
// top level: `,a` or `"a" ,`; an anchor name the two read differently: `&a:,`), and it spends
// seconds and hundreds of megabytes on a deep or wide document (100k nested `[`: 30 s; 300k
// keys: 300 MB). libyaml's event parser keeps no
// tree, so a document too deep or too big is refused here at the first node past the limit.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cxtm {

inline constexpr int kMaxYamlDepth = 64;

// Far above any collector config, manifest stream or cxtm-o11y config (the rendered manifests
// have ~600 nodes and nest 12 deep), below what costs yaml-cpp and the walks after it 0.2 s
// (10k keys, 20k nodes: 0.16 s and 21 MB in the release build, bench/bench_hostile_yaml).
struct YamlLimits {
  int max_depth = kMaxYamlDepth;   // collections inside collections
  std::size_t max_nodes = 20'000;  // scalars and collections, aliases counted once
};

struct YamlTextProblem {
  int line = 0;             // 1-based
  int column = 0;           // 1-based
  std::string problem;      // libyaml's words ("did not find expected node content"), or the limit
  bool over_limit = false;  // valid so far, but deeper or bigger than the limits
};

// The first syntax error of the YAML stream (all its documents), or the first node past a limit;
// nullopt when the text is valid YAML within the limits.
std::optional<YamlTextProblem> check_yaml_text(std::string_view text,
                                               const YamlLimits& limits = {});

}  // namespace cxtm
