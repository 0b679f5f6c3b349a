#pragma once
// Kubernetes naming rules (apimachinery's validation), checked before any name reaches kubectl.

#include <optional>
#include <string>
#include <string_view>

namespace cxtm::config {

// Each returns nullopt when valid, else why not ("must be at most 63 characters", ...).
std::optional<std::string> dns1123_label_problem(std::string_view name);       // Namespace, Service
std::optional<std::string> dns1123_subdomain_problem(std::string_view name);   // most objects
std::optional<std::string> label_selector_problem(std::string_view selector);  // "k=v,k2!=v2,k3"
std::optional<std::string> quantity_problem(std::string_view quantity);        // "512Mi", "200m"

// A memory quantity in MiB, rounded down; nullopt when it is not a valid quantity.
std::optional<long long> quantity_to_mib(std::string_view quantity);

}  // namespace cxtm::config
