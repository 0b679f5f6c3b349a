#include "actions/fan_out.h"

#include <algorithm>

#include "core/error.h"

namespace cxtm::actions {

std::optional<std::string> flag_value(const std::vector<std::string>& argv,
                                      const std::vector<std::string_view>& names) {
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string_view argument = argv[i];
    if (argument == "--") return std::nullopt;
    for (const auto name : names) {
      if (argument == name) {
        if (i + 1 < argv.size()) return argv[i + 1];
        return std::nullopt;
      }
      if (name.starts_with("--") && argument.starts_with(name) && argument.size() > name.size() &&
          argument[name.size()] == '=') {
        return std::string(argument.substr(name.size() + 1));
      }
      if (!name.starts_with("--") && argument.starts_with(name) && argument.size() > name.size()) {
        return std::string(argument.substr(name.size()));
      }
    }
  }
  return std::nullopt;
}

std::vector<std::string> split_contexts(std::string_view value) {
  std::vector<std::string> contexts;
  size_t start = 0;
  while (true) {
    const size_t comma = value.find(',', start);
    std::string_view part = value.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (part.empty()) {
      throw Error(ExitCode::usage,
                  "--context: an empty context name in '" + std::string(value) + "'");
    }
    contexts.emplace_back(part);
    if (comma == std::string_view::npos) return contexts;
    start = comma + 1;
  }
}

std::vector<std::string> argv_for_context(const std::vector<std::string>& argv,
                                          std::string_view context) {
  std::vector<std::string> result;
  for (size_t i = 0; i < argv.size(); ++i) {
    if (argv[i] == "--context") {
      ++i;  // and its value
      continue;
    }
    if (argv[i].starts_with("--context=")) continue;
    result.push_back(argv[i]);
  }
  result.push_back("--context=" + std::string(context));
  return result;
}

int worst_exit_code(const std::vector<int>& codes, bool detailed) {
  if (codes.empty()) return 0;
  if (detailed) {
    if (std::find(codes.begin(), codes.end(), 1) != codes.end()) return 1;
    if (std::find(codes.begin(), codes.end(), 2) != codes.end()) return 2;
    return std::all_of(codes.begin(), codes.end(), [](int code) { return code == 0; }) ? 0 : 1;
  }
  return *std::max_element(codes.begin(), codes.end());
}

}  // namespace cxtm::actions
