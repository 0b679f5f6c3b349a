#pragma once
// Inputs an attacker who may write a ConfigMap or a file would feed the tool, as a security
// review measured them before the limits (release build, 2 cores): 100k nested `[` took 30.6 s
// in render, 50k nested `{a:` 12 s, 300k keys 2.2 s and 300 MB, a 100 MB scalar 54 s and 725 MB.
// Shared by the test that bounds them (test_integration_hostile_yaml.cpp) and the benchmark
// that measures them (bench/bench_hostile_yaml.cpp).

#include <algorithm>
#include <cstddef>
#include <fstream>
#include <string>
#include <vector>

namespace cxtm::testing {

struct HostileYaml {
  std::string name;         // "100k nested ["
  std::string text;         // the input, or its start
  std::string refusal;      // what the refusal says: "nests deeper than 64 levels"
  std::size_t padding = 0;  // 'x's after text, written in pieces: a 100 MB input is never held
                            // in memory (a process that runs the tool would lend it its RSS)
};

// Writes the input to path, its padding a piece at a time.
inline void write_hostile_yaml(const std::string& path, const HostileYaml& input) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << input.text;
  const std::string piece(1 << 16, 'x');
  for (std::size_t left = input.padding; left > 0;) {
    const std::size_t n = std::min(left, piece.size());
    out.write(piece.data(), static_cast<std::streamsize>(n));
    left -= n;
  }
}

// Nine aliases per level, seven levels: 9^7 (4.8 million) lists once expanded ("billion laughs").
inline std::string alias_bomb() {
  std::string text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int level = 1; level <= 7; ++level) {
    const std::string below = "*a" + std::to_string(level - 1);
    text += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
    for (int i = 0; i < 9; ++i) text += (i ? ", " : "") + below;
    text += "]\n";
  }
  return text;
}

inline std::vector<HostileYaml> hostile_yaml_inputs() {
  std::vector<HostileYaml> inputs;
  inputs.push_back({"100k nested [", std::string(100'000, '['), "nests deeper than 64 levels"});
  std::string braces;
  for (int i = 0; i < 50'000; ++i) braces += "{a: ";
  inputs.push_back({"50k nested {a:", braces, "nests deeper than 64 levels"});
  const auto keys = [](int count) {
    std::string text;
    for (int i = 0; i < count; ++i) text += "k" + std::to_string(i) + ": v\n";
    return text;
  };
  inputs.push_back({"300k keys", keys(300'000), "longer than the input limit of 1 MiB"});
  inputs.push_back({"30k keys", keys(30'000), "has more than 20000 nodes"});
  inputs.push_back(
      {"100 MB scalar", "receivers: ", "longer than the input limit of 1 MiB", 100u << 20});
  inputs.push_back({"alias bomb", alias_bomb(), "expands to more than"});
  return inputs;
}

// The costliest inputs still within the limits, which the tool reads and lints: a scalar just
// under the input limit, and just under the node limit.
inline std::vector<HostileYaml> largest_accepted_yaml() {
  std::string scalar = "x: ";
  scalar.append((1u << 20) - 8, 'y');
  std::string keys;
  for (int i = 0; i < 9'990; ++i) keys += "k" + std::to_string(i) + ": v\n";
  return {{"1 MiB scalar", scalar, ""}, {"9,990 keys", keys, ""}};
}

}  // namespace cxtm::testing
