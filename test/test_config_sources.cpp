// The config's air-gapped package sources (instrumentation.source and its settings) and
// ca_bundle, and how actions::spec_for turns them into a spec.
#include <doctest/doctest.h>

#include <string>

#include "actions/services.h"
#include "config/config.h"
#include "core/error.h"
#include "support/config_errors.h"

namespace test_config_sources {

using cxtm::config::parse_config;
using cxtm::instrument::PackageSource;
using cxtm::testing::config_error;
using cxtm::testing::kMinimalConfig;

TEST_SUITE("config/config sources") {
  TEST_CASE("the default source is the index, with the default image folders") {
    const auto config = parse_config(kMinimalConfig + "services:\n  api:\n", "min.yaml");
    CHECK(config.instrumentation.source == "index");
    CHECK(config.instrumentation.wheelhouse.path == "/wheelhouse");
    CHECK(config.instrumentation.prebuilt.path == "/otel-python");
    CHECK(config.ca_bundle.empty());
    const auto spec = cxtm::actions::spec_for(config, config.services[0]);
    CHECK(spec.source == PackageSource::index);
    CHECK(spec.wheelhouse.image.empty());
    CHECK(spec.prebuilt.image.empty());
  }

  TEST_CASE("a mirror: index_url, extra_index_url and trusted_host reach the spec") {
    const auto config = parse_config(kMinimalConfig +
                                         "instrumentation:\n"
                                         "  index_url: https://nexus.corp/simple\n"
                                         "  extra_index_url: https://extra.corp/simple\n"
                                         "  trusted_host: nexus.corp\n"
                                         "services:\n  api:\n",
                                     "mirror.yaml");
    const auto spec = cxtm::actions::spec_for(config, config.services[0]);
    CHECK(spec.source == PackageSource::index);
    CHECK(spec.index_url == "https://nexus.corp/simple");
    CHECK(spec.extra_index_url == "https://extra.corp/simple");
    CHECK(spec.trusted_host == "nexus.corp");
  }

  TEST_CASE("wheelhouse and prebuilt, set at the top and per service") {
    const auto config = parse_config(kMinimalConfig +
                                         "instrumentation:\n"
                                         "  source: wheelhouse\n"
                                         "  index_url: https://nexus.corp/simple\n"
                                         "  wheelhouse:\n"
                                         "    image: registry.corp/otel-wheels:py3.12\n"
                                         "services:\n"
                                         "  api:\n"
                                         "  worker:\n"
                                         "    instrumentation:\n"
                                         "      source: prebuilt\n"
                                         "      init_image: python:3.12-slim\n"
                                         "      prebuilt:\n"
                                         "        image: registry.corp/otel-python:py3.11\n"
                                         "        path: /opt/otel\n",
                                     "airgap.yaml");
    const auto api = cxtm::actions::spec_for(config, config.services[0]);
    CHECK(api.source == PackageSource::wheelhouse);
    CHECK(api.wheelhouse.image == "registry.corp/otel-wheels:py3.12");
    CHECK(api.wheelhouse.path == "/wheelhouse");
    CHECK(api.index_url.empty());  // no index with a wheelhouse: it cannot change the hash
    const auto worker = cxtm::actions::spec_for(config, config.services[1]);
    CHECK(worker.source == PackageSource::prebuilt);
    CHECK(worker.prebuilt.image == "registry.corp/otel-python:py3.11");
    CHECK(worker.prebuilt.path == "/opt/otel");
    // The installer runs in that image and picks from what the prebuilt one holds.
    CHECK(worker.init_image == "python:3.12-slim");
    CHECK(worker.wheelhouse.image.empty());
  }

  TEST_CASE("settings a source does not use leave its spec's hash alone") {
    const std::string base = kMinimalConfig +
                             "instrumentation:\n"
                             "  source: prebuilt\n"
                             "  prebuilt:\n"
                             "    image: registry.corp/otel-python:py3.12\n";
    const auto plain = parse_config(base + "services:\n  api:\n", "a.yaml");
    const auto with_index = parse_config(base +
                                             "  index_url: https://nexus.corp/simple\n"
                                             "services:\n  api:\n",
                                         "b.yaml");
    CHECK(cxtm::actions::spec_for(plain, plain.services[0]).hash() ==
          cxtm::actions::spec_for(with_index, with_index.services[0]).hash());
  }

  TEST_CASE("bad sources give one line naming file, line and field") {
    CHECK(config_error(kMinimalConfig + "instrumentation:\n  source: pypi\n") ==
          "bad.yaml:5:3: instrumentation.source: expected 'index', 'wheelhouse' or 'prebuilt', "
          "got 'pypi'");
    CHECK(config_error(kMinimalConfig + "instrumentation:\n  prebuilt:\n    path: otel\n") ==
          "bad.yaml:6:5: instrumentation.prebuilt.path: 'otel' is not an absolute path");
    CHECK(config_error(kMinimalConfig + "instrumentation:\n  wheelhouse:\n    imag: x\n")
              .starts_with("bad.yaml:6:5: instrumentation.wheelhouse.imag: unknown field"));
    const std::string missing = config_error(kMinimalConfig +
                                             "services:\n"
                                             "  api:\n"
                                             "    instrumentation:\n"
                                             "      source: wheelhouse\n");
    CHECK(missing.find("services.api.instrumentation.wheelhouse.image: required for source: "
                       "wheelhouse (set it here or under instrumentation.wheelhouse.image)") !=
          std::string::npos);
    CHECK(config_error(kMinimalConfig + "instrumentation:\n  source: prebuilt\nservices:\n  api:\n")
              .find("services.api.instrumentation.prebuilt.image: required for source: "
                    "prebuilt") != std::string::npos);
  }

  TEST_CASE("ca_bundle is read as given") {
    const auto config =
        parse_config(kMinimalConfig + "ca_bundle: /etc/pki/tls/certs/ca-bundle.crt\n", "ca.yaml");
    CHECK(config.ca_bundle == "/etc/pki/tls/certs/ca-bundle.crt");
  }
}

}  // namespace test_config_sources
