#include "lint/endpoint_host.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "core/text.h"

namespace cxtm::lint {
namespace {

constexpr std::string_view kClassicDomain = ".signalfx.com";
constexpr std::string_view kSplunkCloudDomain = ".observability.splunkcloud.com";
constexpr std::string_view kSplunkPlatformDomain = ".splunkcloud.com";

// Suffixes of names that resolve inside the pod or the cluster.
constexpr std::array<std::string_view, 4> kLocalSuffixes = {".svc", ".cluster.local", ".local",
                                                            ".localhost"};

std::string host_part(std::string_view endpoint) {
  endpoint = trim_left(endpoint);
  if (const size_t scheme = endpoint.find("://"); scheme != std::string_view::npos) {
    endpoint.remove_prefix(scheme + 3);
  }
  endpoint = endpoint.substr(0, endpoint.find_first_of("/?# \t"));
  if (const size_t at = endpoint.rfind('@'); at != std::string_view::npos) {
    endpoint.remove_prefix(at + 1);  // user:password@host
  }
  if (endpoint.starts_with('[')) {
    endpoint = endpoint.substr(1, endpoint.find(']') - 1);
  } else if (std::count(endpoint.begin(), endpoint.end(), ':') == 1) {
    endpoint = endpoint.substr(0, endpoint.find(':'));
  }
  return to_lower(endpoint);
}

// The four octets of a dotted IPv4 address, or false.
bool parse_ipv4(std::string_view host, std::array<int, 4>& octets) {
  for (size_t i = 0; i < 4; ++i) {
    const size_t dot = i < 3 ? host.find('.') : host.size();
    if (dot == std::string_view::npos || dot == 0) return false;
    const auto [end, error] = std::from_chars(host.data(), host.data() + dot, octets[i]);
    if (error != std::errc() || end != host.data() + dot || octets[i] > 255) return false;
    host.remove_prefix(std::min(dot + 1, host.size()));
  }
  return true;
}

bool is_local(std::string_view host) {
  if (host == "localhost" || host == "::1" || host == "::" || host == "0.0.0.0") return true;
  // A name without dots is a Kubernetes service in the same namespace.
  if (host.find('.') == std::string_view::npos && host.find(':') == std::string_view::npos) {
    return true;
  }
  if (std::any_of(kLocalSuffixes.begin(), kLocalSuffixes.end(),
                  [&](std::string_view suffix) { return host.ends_with(suffix); })) {
    return true;
  }
  std::array<int, 4> ip{};
  if (!parse_ipv4(host, ip)) return false;
  // Loopback, and the private ranges pod and service addresses come from.
  return ip[0] == 127 || ip[0] == 10 || (ip[0] == 172 && ip[1] >= 16 && ip[1] <= 31) ||
         (ip[0] == 192 && ip[1] == 168);
}

// The realm label of "<service>.<realm><domain>"; bare_realm when there is no realm label.
std::string realm_before(std::string_view host, std::string_view domain,
                         std::string_view bare_realm) {
  std::string_view rest = host.substr(0, host.size() - domain.size());
  const size_t dot = rest.rfind('.');
  return std::string(dot == std::string_view::npos ? bare_realm : rest.substr(dot + 1));
}

}  // namespace

Host classify_endpoint(std::string_view endpoint) {
  Host host{.name = host_part(endpoint)};
  if (host.name.ends_with(kSplunkCloudDomain)) {
    host.kind = HostKind::observability;
    host.realm = realm_before(host.name, kSplunkCloudDomain, "");
    host.style = config::HostStyle::splunkcloud;
  } else if (host.name.ends_with(kClassicDomain)) {
    host.kind = HostKind::observability;
    // ingest.signalfx.com and api.signalfx.com predate realm names and serve us0.
    host.realm = realm_before(host.name, kClassicDomain, "us0");
  } else if (host.name.ends_with(kSplunkPlatformDomain)) {
    host.kind = HostKind::splunk;
  } else if (is_local(host.name)) {
    host.kind = HostKind::local;
  }
  return host;
}

}  // namespace cxtm::lint
