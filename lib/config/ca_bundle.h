#pragma once
// The CA certificates HTTPS to Splunk is verified with. The portable binary carries no CA path
// of its own (its libcurl and OpenSSL were built elsewhere), so the file is always named
// explicitly: the config's ca_bundle, else $CXTM_O11Y_CA_BUNDLE, else $SSL_CERT_FILE, else the
// first system bundle that exists (Debian/Ubuntu, RHEL/Fedora, SUSE, Alpine locations).

#include <functional>
#include <span>
#include <string>
#include <string_view>

namespace cxtm::config {

struct CaBundle {
  std::string path;
  std::string origin;  // "ca_bundle in cxtm-o11y.yaml", "$SSL_CERT_FILE", "system", ...
};

// The system locations tried, in order.
std::span<const std::string_view> system_ca_bundles();

// How find_ca_bundle sees the machine; tests replace both.
struct CaBundleProbe {
  std::function<std::string(const char*)> env;       // "" when unset
  std::function<bool(const std::string&)> readable;  // an existing regular file
};
CaBundleProbe system_probe();

// The bundle to use. Throws Error(usage) when a named file (config or variable) is not
// readable, or when no system bundle exists, naming what was tried and how to set one.
CaBundle find_ca_bundle(std::string_view configured, std::string_view config_source,
                        const CaBundleProbe& probe = system_probe());

// The bundle file for requests to url: find_ca_bundle's for https, "" for plain http (a proxy
// or a test double on loopback needs none).
std::string ca_bundle_for(std::string_view url, std::string_view configured,
                          std::string_view config_source);

}  // namespace cxtm::config
