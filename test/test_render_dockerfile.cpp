#include <doctest/doctest.h>

#include "core/error.h"
#include "render/dockerfile.h"
#include "support/text.h"

namespace test_render_dockerfile {

using cxtm::instrument::PackageSource;
using cxtm::render::DockerfileInput;
using cxtm::render::render_dockerfile;
using cxtm::testing::contains;

namespace {

DockerfileInput input(PackageSource source) {
  return {.source = source,
          .requirements = {"opentelemetry-sdk==1.41.0", "opentelemetry-distro==0.62b0"},
          .sdk_version = "1.41.0",
          .contrib_version = "0.62b0",
          .path = source == PackageSource::prebuilt ? "/otel-python" : "/wheelhouse/"};
}

std::string error_of(const DockerfileInput& in) {
  try {
    render_dockerfile(in);
  } catch (const cxtm::Error& e) {
    CHECK(e.code() == cxtm::ExitCode::usage);
    return e.what();
  }
  FAIL("expected an error");
  return "";
}

}  // namespace

TEST_SUITE("render/dockerfile") {
  TEST_CASE("prebuilt: pip install --no-deps --target in a build stage, into a small image") {
    const std::string text = render_dockerfile(input(PackageSource::prebuilt));
    CHECK(contains(text, "FROM ${PYTHON_IMAGE} AS build\n"));
    CHECK(contains(text,
                   "RUN python3 -m pip install --no-cache-dir --disable-pip-version-check "
                   "--no-deps \\\n"
                   "      --target /otel-python \\\n"
                   "      opentelemetry-sdk==1.41.0 \\\n"
                   "      opentelemetry-distro==0.62b0\n"));
    CHECK(contains(text, "RUN chmod -R a+rX /otel-python\n"));
    CHECK(contains(text, "COPY --from=build [\"/otel-python\", \"/otel-python\"]\n"));
    CHECK(contains(text, "cp -R /otel-python/. /otel-prebuilt"));
    // Not root: pods with runAsNonRoot may run it.
    CHECK(text.ends_with("USER 65532\n"));
    CHECK(contains(text, "(opentelemetry-sdk 1.41.0, contrib 0.62b0)"));
    CHECK_FALSE(contains(text, "{{"));
  }

  TEST_CASE("wheelhouse: pip wheel, the wheels at the configured folder") {
    const std::string text = render_dockerfile(input(PackageSource::wheelhouse));
    CHECK(contains(text,
                   "RUN python3 -m pip wheel --no-cache-dir --disable-pip-version-check "
                   "--no-deps \\\n"
                   "      --wheel-dir /wheelhouse \\\n"));
    CHECK(text.ends_with("USER 65532\n"));
    CHECK(contains(text, "COPY --from=build [\"/wheelhouse\", \"/wheelhouse\"]\n"));
    CHECK(contains(text, "cp -R /wheelhouse/. /otel-wheelhouse"));
  }

  TEST_CASE("the build finds the packages on the config's mirror, quoted for the shell") {
    auto in = input(PackageSource::prebuilt);
    in.index_url = "https://nexus.corp/repository/pypi/simple";
    in.trusted_host = "nexus.corp";
    in.extra_index_url = "https://x.corp/it's";
    const std::string text = render_dockerfile(in);
    CHECK(contains(text,
                   "pip install --no-cache-dir --disable-pip-version-check --no-deps --index-url "
                   "'https://nexus.corp/repository/pypi/simple' --extra-index-url "
                   "'https://x.corp/it'\\''s' --trusted-host 'nexus.corp' \\\n"));
  }

  TEST_CASE("nothing from outside the pinned set can add a line or a command") {
    auto in = input(PackageSource::prebuilt);
    in.requirements.push_back("requests==2.0; rm -rf /");
    CHECK(error_of(in) == "'requests==2.0; rm -rf /' is not a pinned requirement (name==version)");
    in = input(PackageSource::prebuilt);
    in.requirements.push_back("requests>=2");
    CHECK(contains(error_of(in), "is not a pinned requirement"));
    in = input(PackageSource::prebuilt);
    in.path = "/otel\nRUN curl evil";
    CHECK(contains(error_of(in), "may only have letters, digits"));
    in = input(PackageSource::prebuilt);
    in.index_url = "https://a\nRUN x";
    CHECK(error_of(in) == "--index-url has a space or control character");
    in = input(PackageSource::prebuilt);
    in.requirements = {"opentelemetry-instrumentation-kafka-python==0.62b0",
                       "opentelemetry-exporter[grpc]==1.41.0"};
    CHECK_NOTHROW(render_dockerfile(in));
  }

  TEST_CASE("source index needs no image") {
    CHECK(contains(error_of(input(PackageSource::index)), "needs no image"));
  }
}

}  // namespace test_render_dockerfile
