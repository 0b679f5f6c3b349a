#include <doctest/doctest.h>

#include <regex>

#include "config/python_packages.h"

namespace {

// "1.41.0" → 41; "0.62b0" → 62.
int minor_of(const std::string& version, const std::regex& pattern) {
  std::smatch match;
  REQUIRE(std::regex_match(version, match, pattern));
  return std::stoi(match[1].str());
}

}  // namespace

TEST_SUITE("config/python_packages") {
  TEST_CASE("the SDK and contrib versions are the pair that works together") {
    const auto& packages = cxtm::config::python_packages();
    const int sdk = minor_of(packages.sdk_version, std::regex(R"(1\.(\d+)\.\d+)"));
    const int contrib = minor_of(packages.contrib_version, std::regex(R"(0\.(\d+)b\d+)"));
    CHECK(contrib == sdk + 21);
    CHECK(sdk >= 26);  // Python 3.12 needs 1.26.0 / 0.47b0 or newer
    CHECK(contrib >= 47);
    CHECK(contrib >= 44);  // Flask 3 needs instrumentation-flask 0.44b0 or newer
  }

  TEST_CASE("every requirement is pinned, only the HTTP exporter, flask instrumented") {
    const auto& packages = cxtm::config::python_packages();
    const auto requirements = packages.requirements({"requests", "redis"});
    bool flask = false;
    for (const auto& requirement : requirements) {
      CAPTURE(requirement);
      CHECK(std::regex_match(requirement, std::regex(R"([a-z0-9-]+==[0-9][0-9a-z.]*)")));
      CHECK(requirement.find("grpc") == std::string::npos);
      flask = flask || requirement.starts_with("opentelemetry-instrumentation-flask==");
    }
    CHECK(flask);
    CHECK(requirements.back() ==
          "opentelemetry-instrumentation-redis==" + packages.contrib_version);
  }
}
