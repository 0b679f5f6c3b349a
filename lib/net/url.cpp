#include "net/url.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fmt/core.h>

#include <memory>

#include "core/error.h"
#include "core/text.h"

namespace cxtm::net {
namespace {

struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};

std::optional<std::string> part(CURLU* url, CURLUPart which) {
  char* text = nullptr;
  if (curl_url_get(url, which, &text, 0) != CURLUE_OK || text == nullptr) return std::nullopt;
  std::string copy(text);
  curl_free(text);
  return copy;
}

}  // namespace

std::optional<ParsedUrl> parse_url(std::string_view url) {
  std::unique_ptr<CURLU, UrlDeleter> handle(curl_url());
  if (!handle) return std::nullopt;
  if (curl_url_set(handle.get(), CURLUPART_URL, std::string(url).c_str(), 0) != CURLUE_OK) {
    return std::nullopt;
  }
  auto scheme = part(handle.get(), CURLUPART_SCHEME);
  auto host = part(handle.get(), CURLUPART_HOST);
  if (!scheme || !host) return std::nullopt;
  ParsedUrl parsed{to_lower(*scheme), std::move(*host)};
  if (const auto port = part(handle.get(), CURLUPART_PORT)) parsed.port = std::stoi(*port);
  parsed.path = part(handle.get(), CURLUPART_PATH).value_or("/");
  if (const auto query = part(handle.get(), CURLUPART_QUERY)) parsed.path += "?" + *query;
  return parsed;
}

bool is_loopback_host(std::string_view host) {
  const std::string name = to_lower(host);
  if (name == "localhost") return true;
  if (name.size() > 2 && name.front() == '[' && name.back() == ']') {
    in6_addr address{};
    return ::inet_pton(AF_INET6, name.substr(1, name.size() - 2).c_str(), &address) == 1 &&
           IN6_IS_ADDR_LOOPBACK(&address);
  }
  in_addr address{};
  return ::inet_pton(AF_INET, name.c_str(), &address) == 1 && (ntohl(address.s_addr) >> 24) == 127;
}

bool is_loopback_url(std::string_view url) {
  const auto parsed = parse_url(url);
  return parsed && is_loopback_host(parsed->host);
}

void require_safe_for_tokens(std::string_view url, std::string_view source) {
  const auto parsed = parse_url(url);
  if (!parsed) {
    throw Error(ExitCode::usage, fmt::format("{}: '{}' is not a URL", source, url));
  }
  if (parsed->scheme == "https") return;
  if (parsed->scheme == "http" && is_loopback_host(parsed->host)) return;
  throw Error(ExitCode::usage,
              fmt::format("{}: '{}' is not https: the API token would travel in clear text; "
                          "plain http is accepted for this machine (localhost, 127.0.0.1, ::1) "
                          "only",
                          source, url));
}

std::string url_encoded(std::string_view text) {
  // The handle is not needed for escaping.
  const std::unique_ptr<char, decltype(&curl_free)> escaped(
      curl_easy_escape(nullptr, text.data(), static_cast<int>(text.size())), curl_free);
  return escaped ? std::string(escaped.get()) : std::string();
}

std::string query_string(const std::vector<std::pair<std::string, std::string>>& query) {
  std::string text;
  for (const auto& [key, value] : query) {
    text += text.empty() ? "?" : "&";
    text += url_encoded(key) + "=" + url_encoded(value);
  }
  return text;
}

}  // namespace cxtm::net
