#include "config/k8s_names.h"

#include <fmt/core.h>

#include <array>
#include <cctype>
#include <cmath>
#include <regex>

#include "core/text.h"

namespace cxtm::config {
namespace {

bool lower_alnum(char c) {
  return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c));
}
bool alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// A label key's name part or a label value: [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?, max 63.
std::optional<std::string> qualified_part_problem(std::string_view part, bool may_be_empty) {
  if (part.empty()) {
    return may_be_empty ? std::nullopt : std::optional<std::string>("must not be empty");
  }
  if (part.size() > 63) return "must be at most 63 characters";
  if (!alnum(part.front()) || !alnum(part.back())) {
    return "must start and end with a letter or digit";
  }
  for (char c : part) {
    if (!alnum(c) && c != '-' && c != '_' && c != '.') {
      return fmt::format("must not contain '{}'", c);
    }
  }
  return std::nullopt;
}

std::optional<std::string> label_key_problem(std::string_view key) {
  const auto slash = key.find('/');
  if (slash != std::string_view::npos) {
    if (auto problem = dns1123_subdomain_problem(key.substr(0, slash))) {
      return fmt::format("label key prefix '{}' {}", key.substr(0, slash), *problem);
    }
    key = key.substr(slash + 1);
  }
  if (auto problem = qualified_part_problem(key, false)) {
    return fmt::format("label key '{}' {}", key, *problem);
  }
  return std::nullopt;
}

std::optional<std::string> requirement_problem(std::string_view requirement) {
  requirement = trim(requirement);
  if (requirement.empty()) return "has an empty requirement";
  // Set-based forms ("k in (a,b)", "k notin (a)") are accepted by kubectl, but our config only
  // needs equality and existence; reject the rest clearly rather than half-parse it.
  if (requirement.find('(') != std::string_view::npos) {
    return "set-based requirements ('in', 'notin') are not supported here; use k=v";
  }
  std::string_view key = requirement, value;
  bool has_value = false;
  for (std::string_view op : {"!=", "==", "="}) {
    const auto at = requirement.find(op);
    if (at != std::string_view::npos) {
      key = trim(requirement.substr(0, at));
      value = trim(requirement.substr(at + op.size()));
      has_value = true;
      break;
    }
  }
  if (!has_value && key.starts_with('!')) key = trim(key.substr(1));
  if (auto problem = label_key_problem(key)) return problem;
  if (has_value) {
    if (auto problem = qualified_part_problem(value, true)) {
      return fmt::format("label value '{}' {}", value, *problem);
    }
  }
  return std::nullopt;
}

struct Suffix {
  std::string_view text;
  double bytes;
};

constexpr std::array<Suffix, 13> kSuffixes = {{
    {"Ki", 1024.0},
    {"Mi", 1024.0 * 1024},
    {"Gi", 1024.0 * 1024 * 1024},
    {"Ti", 1024.0 * 1024 * 1024 * 1024},
    {"Pi", 1024.0 * 1024 * 1024 * 1024 * 1024},
    {"Ei", 1024.0 * 1024 * 1024 * 1024 * 1024 * 1024},
    {"k", 1e3},
    {"M", 1e6},
    {"G", 1e9},
    {"T", 1e12},
    {"P", 1e15},
    {"E", 1e18},
    {"m", 1e-3},
}};

}  // namespace

std::optional<std::string> dns1123_label_problem(std::string_view name) {
  if (name.empty()) return "must not be empty";
  if (name.size() > 63) return "must be at most 63 characters";
  if (!lower_alnum(name.front()) || !lower_alnum(name.back())) {
    return "must start and end with a lower-case letter or digit";
  }
  for (char c : name) {
    if (!lower_alnum(c) && c != '-') {
      return fmt::format("must consist of lower-case letters, digits and '-', not '{}'", c);
    }
  }
  return std::nullopt;
}

std::optional<std::string> dns1123_subdomain_problem(std::string_view name) {
  if (name.empty()) return "must not be empty";
  if (name.size() > 253) return "must be at most 253 characters";
  size_t start = 0;
  while (start <= name.size()) {
    const auto dot = name.find('.', start);
    const auto part =
        name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (part.empty() || !lower_alnum(part.front()) || !lower_alnum(part.back())) {
      return "must be lower-case letters, digits, '-' and '.', starting and ending with a letter "
             "or digit";
    }
    for (char c : part) {
      if (!lower_alnum(c) && c != '-') {
        return fmt::format("must consist of lower-case letters, digits, '-' and '.', not '{}'", c);
      }
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return std::nullopt;
}

std::optional<std::string> label_selector_problem(std::string_view selector) {
  if (trim(selector).empty()) return "must not be empty";
  size_t start = 0;
  while (true) {
    const auto comma = selector.find(',', start);
    const auto requirement = selector.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (auto problem = requirement_problem(requirement)) return problem;
    if (comma == std::string_view::npos) return std::nullopt;
    start = comma + 1;
  }
}

std::optional<std::string> quantity_problem(std::string_view quantity) {
  static const std::regex pattern(R"(^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m)?$)");
  if (!std::regex_match(quantity.begin(), quantity.end(), pattern)) {
    return "is not a Kubernetes quantity (like 512Mi, 1Gi, 200m)";
  }
  return std::nullopt;
}

std::optional<long long> quantity_to_mib(std::string_view quantity) {
  if (quantity_problem(quantity)) return std::nullopt;
  double multiplier = 1.0;
  for (const Suffix& suffix : kSuffixes) {
    if (quantity.ends_with(suffix.text)) {
      multiplier = suffix.bytes;
      quantity.remove_suffix(suffix.text.size());
      break;
    }
  }
  const double bytes = std::stod(std::string(quantity)) * multiplier;
  return static_cast<long long>(std::floor(bytes / (1024.0 * 1024.0)));
}

}  // namespace cxtm::config
