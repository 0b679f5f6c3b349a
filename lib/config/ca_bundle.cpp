#include "config/ca_bundle.h"

#include <fmt/core.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/error.h"

namespace cxtm::config {
namespace {

// The same list Go's crypto/x509 walks: one file per distribution family.
constexpr std::array<std::string_view, 6> kSystemBundles = {
    "/etc/ssl/certs/ca-certificates.crt",                 // Debian, Ubuntu, Gentoo, Arch
    "/etc/pki/tls/certs/ca-bundle.crt",                   // RHEL, CentOS, Fedora
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  // RHEL 7 and later
    "/etc/ssl/ca-bundle.pem",                             // SUSE
    "/etc/pki/tls/cacert.pem",                            // OpenELEC
    "/etc/ssl/cert.pem",                                  // Alpine
};

constexpr std::string_view kHowToSet =
    "set ca_bundle in the config or $CXTM_O11Y_CA_BUNDLE to a PEM file of CA certificates";

}  // namespace

std::span<const std::string_view> system_ca_bundles() {
  return kSystemBundles;
}

CaBundleProbe system_probe() {
  return {.env =
              [](const char* name) {
                const char* value = std::getenv(name);
                return std::string(value == nullptr ? "" : value);
              },
          .readable =
              [](const std::string& path) {
                std::error_code error;
                return std::filesystem::is_regular_file(path, error) && std::ifstream(path).good();
              }};
}

CaBundle find_ca_bundle(std::string_view configured, std::string_view config_source,
                        const CaBundleProbe& probe) {
  const auto named = [&](std::string path, std::string origin) {
    if (!probe.readable(path)) {
      throw Error(ExitCode::usage,
                  fmt::format("CA bundle {} (from {}) is not a readable file", path, origin));
    }
    return CaBundle{std::move(path), std::move(origin)};
  };
  if (!configured.empty()) {
    return named(std::string(configured), fmt::format("ca_bundle in {}", config_source));
  }
  for (const char* variable : {"CXTM_O11Y_CA_BUNDLE", "SSL_CERT_FILE"}) {
    if (std::string value = probe.env(variable); !value.empty()) {
      return named(std::move(value), fmt::format("${}", variable));
    }
  }
  std::string tried;
  for (std::string_view path : kSystemBundles) {
    if (probe.readable(std::string(path))) return {std::string(path), "system"};
    tried += fmt::format("{}{}", tried.empty() ? "" : ", ", path);
  }
  throw Error(ExitCode::usage, fmt::format("no CA bundle found (tried {}); {}", tried, kHowToSet));
}

std::string ca_bundle_for(std::string_view url, std::string_view configured,
                          std::string_view config_source) {
  return url.starts_with("https:") ? find_ca_bundle(configured, config_source).path : "";
}

}  // namespace cxtm::config
