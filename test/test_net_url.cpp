#include <doctest/doctest.h>

#include "core/error.h"
#include "net/url.h"

namespace test_net_url {

using namespace cxtm::net;

TEST_SUITE("net/url") {
  TEST_CASE("scheme and host, as curl parses them") {
    const auto parsed = parse_url("HTTPS://api.us1.signalfx.com:443/v2/apm");
    REQUIRE(parsed);
    CHECK(parsed->scheme == "https");
    CHECK(parsed->host == "api.us1.signalfx.com");
    CHECK_FALSE(parse_url("not a url"));
  }

  TEST_CASE("loopback is the host, not a prefix of it") {
    for (const char* url : {"http://localhost:8080/x", "http://127.0.0.1:1", "http://127.9.8.7/",
                            "http://[::1]:9/", "http://LOCALHOST/"}) {
      CAPTURE(url);
      CHECK(is_loopback_url(url));
    }
    for (const char* url :
         {"http://localhost.evil/", "http://127.0.0.1.evil.com/", "http://128.0.0.1/",
          "http://[::2]/", "http://example.com/?h=127.0.0.1", "http://user@evil.com@127.0.0.1x/"}) {
      CAPTURE(url);
      CHECK_FALSE(is_loopback_url(url));
    }
  }

  TEST_CASE("a token goes over https, or plain http to this machine only") {
    CHECK_NOTHROW(require_safe_for_tokens("https://api.eu0.signalfx.com", "X"));
    CHECK_NOTHROW(require_safe_for_tokens("http://127.0.0.1:40123", "X"));
    CHECK_THROWS_WITH_AS(
        require_safe_for_tokens("http://proxy.corp:8080", "CXTM_O11Y_SPLUNK_API_URL"),
        doctest::Contains("CXTM_O11Y_SPLUNK_API_URL: 'http://proxy.corp:8080' is "
                          "not https: the API token would travel in clear text"),
        cxtm::Error);
    CHECK_THROWS_AS(require_safe_for_tokens("http://localhost.evil", "X"), cxtm::Error);
    CHECK_THROWS_AS(require_safe_for_tokens("ftp://127.0.0.1", "X"), cxtm::Error);
    CHECK_THROWS_WITH_AS(require_safe_for_tokens("::", "X"), doctest::Contains("is not a URL"),
                         cxtm::Error);
  }
}

}  // namespace test_net_url
