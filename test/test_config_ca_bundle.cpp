#include <doctest/doctest.h>

#include <map>
#include <set>

#include "config/ca_bundle.h"
#include "core/error.h"

namespace test_config_ca_bundle {

using cxtm::config::CaBundleProbe;
using cxtm::config::find_ca_bundle;

namespace {

// A machine with these variables and these readable files.
CaBundleProbe machine(std::map<std::string, std::string> env, std::set<std::string> files) {
  return {.env =
              [env](const char* name) {
                const auto found = env.find(name);
                return found == env.end() ? std::string() : found->second;
              },
          .readable = [files](const std::string& path) { return files.contains(path); }};
}

std::string error_of(std::string_view configured, const CaBundleProbe& probe) {
  try {
    find_ca_bundle(configured, "c.yaml", probe);
  } catch (const cxtm::Error& e) {
    CHECK(e.code() == cxtm::ExitCode::usage);
    return e.what();
  }
  FAIL("expected no CA bundle");
  return "";
}

const std::string kDebian = "/etc/ssl/certs/ca-certificates.crt";
const std::string kRhel = "/etc/pki/tls/certs/ca-bundle.crt";

}  // namespace

TEST_SUITE("config/ca_bundle") {
  TEST_CASE("the config wins, then $CXTM_O11Y_CA_BUNDLE, then $SSL_CERT_FILE") {
    const auto probe =
        machine({{"CXTM_O11Y_CA_BUNDLE", "/env/ca.pem"}, {"SSL_CERT_FILE", "/ssl.pem"}},
                {"/corp/ca.pem", "/env/ca.pem", "/ssl.pem", kDebian});
    const auto configured = find_ca_bundle("/corp/ca.pem", "c.yaml", probe);
    CHECK(configured.path == "/corp/ca.pem");
    CHECK(configured.origin == "ca_bundle in c.yaml");
    CHECK(find_ca_bundle("", "c.yaml", probe).origin == "$CXTM_O11Y_CA_BUNDLE");
    const auto ssl = find_ca_bundle(
        "", "c.yaml", machine({{"SSL_CERT_FILE", "/ssl.pem"}}, {"/ssl.pem", kDebian}));
    CHECK(ssl.path == "/ssl.pem");
    CHECK(ssl.origin == "$SSL_CERT_FILE");
  }

  TEST_CASE("without a setting, the system bundle of Debian or RHEL is found") {
    CHECK(find_ca_bundle("", "c.yaml", machine({}, {kDebian})).path == kDebian);
    const auto rhel = find_ca_bundle("", "c.yaml", machine({}, {kRhel}));
    CHECK(rhel.path == kRhel);
    CHECK(rhel.origin == "system");
    CHECK(find_ca_bundle("", "c.yaml",
                         machine({}, {"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem"}))
              .path == "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem");
    CHECK(find_ca_bundle("", "c.yaml", machine({}, {"/etc/ssl/cert.pem"})).path ==
          "/etc/ssl/cert.pem");
  }

  TEST_CASE("a named file that is missing is an error, not a silent fallback") {
    CHECK(error_of("/corp/ca.pem", machine({}, {kDebian})) ==
          "CA bundle /corp/ca.pem (from ca_bundle in c.yaml) is not a readable file");
    CHECK(error_of("", machine({{"CXTM_O11Y_CA_BUNDLE", "/nope.pem"}}, {kDebian})) ==
          "CA bundle /nope.pem (from $CXTM_O11Y_CA_BUNDLE) is not a readable file");
  }

  TEST_CASE("no bundle anywhere says what was tried and how to set one") {
    const std::string message = error_of("", machine({}, {}));
    CHECK(
        message.starts_with("no CA bundle found (tried /etc/ssl/certs/ca-certificates.crt, "
                            "/etc/pki/tls/certs/ca-bundle.crt"));
    CHECK(
        message.ends_with("set ca_bundle in the config or $CXTM_O11Y_CA_BUNDLE to a PEM file "
                          "of CA certificates"));
  }

  TEST_CASE("the real machine's probe sees this machine's files") {
    const auto probe = cxtm::config::system_probe();
    CHECK(probe.readable(CXTM_SOURCE_DIR "/README.md"));
    CHECK_FALSE(probe.readable(CXTM_SOURCE_DIR));  // a directory is not a bundle
    CHECK_FALSE(probe.readable("/nonexistent/ca.pem"));
  }
}

}  // namespace test_config_ca_bundle
