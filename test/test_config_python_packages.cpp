// The shipped lock (templates/instrumentation/python-packages.yaml): the exact version pairing,
// a closed set (every requirement names a locked distribution, every locked one is needed),
// and the detection table the issue asks for. That each locked version meets every range on
// it is checked by the installer itself, with pip's own version rules
// (test_instrument_python_installer.cpp).

#include <doctest/doctest.h>

#include <algorithm>
#include <regex>
#include <set>

#include "config/python_packages.h"

namespace test_config_python_packages {

using cxtm::instrument::PythonPackageSet;

namespace {

// "opentelemetry-api == 1.41.1; python_version < '3.11'" → "opentelemetry-api".
std::string name_of(const std::string& requirement) {
  const size_t end = requirement.find_first_of(" ;<>=!~[");
  return requirement.substr(0, end);
}

const cxtm::instrument::LockedDistribution* locked(const PythonPackageSet& set,
                                                   const std::string& name) {
  for (const auto& distribution : set.lock) {
    if (distribution.name == name) return &distribution;
  }
  return nullptr;
}

// The API/SDK side of OpenTelemetry Python is versioned 1.N.P, the rest 0.(N+21)bP.
bool sdk_side(const std::string& name) {
  static const std::set<std::string> names = {
      "opentelemetry-api", "opentelemetry-sdk", "opentelemetry-proto",
      "opentelemetry-exporter-otlp-proto-common", "opentelemetry-exporter-otlp-proto-http"};
  return names.contains(name);
}

}  // namespace

TEST_SUITE("config/python_packages") {
  TEST_CASE("the SDK and contrib versions are the exact pair released together") {
    const auto& packages = cxtm::config::python_packages();
    std::smatch sdk;
    std::smatch contrib;
    REQUIRE(std::regex_match(packages.sdk_version, sdk, std::regex(R"(1\.(\d+)\.(\d+))")));
    REQUIRE(std::regex_match(packages.contrib_version, contrib, std::regex(R"(0\.(\d+)b(\d+))")));
    CHECK(std::stoi(contrib[1].str()) == std::stoi(sdk[1].str()) + 21);
    CHECK(contrib[2].str() == sdk[2].str());   // 1.41.1 goes with 0.62b1, never 0.62b0
    CHECK(std::stoi(sdk[1].str()) >= 26);      // Python 3.12 needs 1.26.0 / 0.47b0 or newer
    CHECK(std::stoi(contrib[1].str()) >= 44);  // Flask 3 needs instrumentation-flask 0.44b0
  }

  TEST_CASE("every OpenTelemetry distribution is locked at its side's version") {
    const auto& packages = cxtm::config::python_packages();
    int opentelemetry = 0;
    for (const auto& distribution : packages.lock) {
      if (!distribution.name.starts_with("opentelemetry-")) continue;
      ++opentelemetry;
      CAPTURE(distribution.name);
      CHECK(distribution.version ==
            (sdk_side(distribution.name) ? packages.sdk_version : packages.contrib_version));
    }
    CHECK(opentelemetry >= 20);
  }

  TEST_CASE("the lock is closed: every requirement is locked, every locked one is needed") {
    const auto& packages = cxtm::config::python_packages();
    std::vector<std::string> roots = packages.base;
    for (const auto& row : packages.instrumentations) roots.push_back(row.package);
    std::set<std::string> reached;
    while (!roots.empty()) {
      const std::string name = roots.back();
      roots.pop_back();
      CAPTURE(name);
      const auto* distribution = locked(packages, name);
      REQUIRE(distribution != nullptr);
      if (!reached.insert(name).second) continue;
      for (const auto& requirement : distribution->requires_) roots.push_back(name_of(requirement));
    }
    for (const auto& distribution : packages.lock) {
      CAPTURE(distribution.name);
      CHECK(reached.contains(distribution.name));
    }
  }

  TEST_CASE("an exact requirement names the locked version, and every version is plain") {
    const auto& packages = cxtm::config::python_packages();
    const std::regex exact(R"(([a-z0-9-]+) == ([0-9][0-9a-z.]*))");
    for (const auto& distribution : packages.lock) {
      CAPTURE(distribution.name);
      CHECK(std::regex_match(distribution.version, std::regex(R"([0-9][0-9a-z.]*)")));
      CHECK(distribution.name.find("grpc") == std::string::npos);
      for (const auto& requirement : distribution.requires_) {
        std::smatch match;
        if (!std::regex_match(requirement, match, exact)) continue;
        CAPTURE(requirement);
        const auto* target = locked(packages, match[1].str());
        REQUIRE(target != nullptr);
        CHECK(target->version == match[2].str());
      }
    }
  }

  TEST_CASE("the detection table covers the frameworks, clients and stores of the issue") {
    const auto& packages = cxtm::config::python_packages();
    for (const char* name :
         {"flask", "django", "fastapi", "starlette", "requests", "urllib3", "httpx", "sqlalchemy",
          "psycopg2", "psycopg", "redis", "celery", "logging"}) {
      CAPTURE(name);
      const auto* row = packages.instrumentation(name);
      REQUIRE(row != nullptr);
      CHECK(row->package == std::string("opentelemetry-instrumentation-") + name);
      CHECK(locked(packages, row->package) != nullptr);
    }
    // logging has no library to detect: it instruments the standard library, always.
    CHECK(packages.instrumentation("logging")->libraries.empty());
    CHECK(packages.instrumentation("psycopg2")->libraries.size() == 2);  // and psycopg2-binary
    CHECK(packages.instrumentation("nothing") == nullptr);
  }
}

}  // namespace test_config_python_packages
