#pragma once
// URLs the tool sends tokens to, parsed by libcurl's URL API rather than by prefix: which
// scheme and host they name, and whether that host is this machine.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cxtm::net {

struct ParsedUrl {
  std::string scheme;  // lower case: "https"
  std::string host;    // as curl gives it: "example.com", "127.0.0.1", "[::1]"
  int port = 0;        // as written; 0 when the URL has none
  std::string path;    // "/" at least, with "?query" when there is one
};

// nullopt when url is not an absolute URL curl accepts.
std::optional<ParsedUrl> parse_url(std::string_view url);

// Whether host is this machine: localhost, 127.0.0.0/8 or ::1 (not "localhost.evil").
bool is_loopback_host(std::string_view host);

// Whether url names a loopback host.
bool is_loopback_url(std::string_view url);

// Throws Error(usage) naming `source` unless url is https, or http to a loopback host: a token
// sent over plain HTTP to another host can be read on the way.
void require_safe_for_tokens(std::string_view url, std::string_view source);

// text percent-encoded for a URL's path segment or query (libcurl's escaping: RFC 3986's
// unreserved characters kept, every other byte as %XX).
std::string url_encoded(std::string_view text);

// "?a=1&b=x%2Fy": the pairs in order, each key and value url_encoded; "" for none.
std::string query_string(const std::vector<std::pair<std::string, std::string>>& query);

}  // namespace cxtm::net
