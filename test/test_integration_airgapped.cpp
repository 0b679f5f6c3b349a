// The three ways the init container gets the OpenTelemetry packages (docs/air-gapped.md),
// end to end through the real kubectl: a package index mirror, a wheelhouse image
// copied by a second init container, and a prebuilt image with no pip at all. Each is
// instrumented, seen by status, upgraded when the source changes, and rolled back exactly.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/atomic_file.h"
#include "core/json.h"
#include "support/cluster_cli.h"
#include "support/package_sets.h"

namespace test_integration_airgapped {

using cxtm::Json;
using cxtm::testing::ClusterCli;
using cxtm::testing::fast;
using cxtm::testing::has_installer;
using cxtm::testing::same_json;

using cxtm::testing::plan_of;

namespace {

// Three services, one per source, each on its own copy of the minimal Deployment.
const std::string kServices =
    "  mirror:\n"
    "    deployment: app-mirror\n"
    "    instrumentation:\n"
    "      index_url: https://nexus.corp.example/repository/pypi/simple\n"
    "      trusted_host: nexus.corp.example\n"
    "  wheels:\n"
    "    deployment: app-wheels\n"
    "    instrumentation:\n"
    "      source: wheelhouse\n"
    "      wheelhouse:\n"
    "        image: registry.corp.example/cxtm-otel-wheels:1.41.0-py3.12\n"
    "        path: /wheelhouse\n"
    "  prebuilt:\n"
    "    deployment: app-prebuilt\n"
    "    instrumentation:\n"
    "      source: prebuilt\n"
    "      prebuilt:\n"
    "        image: registry.corp.example/cxtm-otel-python:1.41.0-py3.12\n";

const Json& init_container(const Json& deployment, const std::string& name) {
  for (const Json& container : deployment["spec"]["template"]["spec"]["initContainers"]) {
    if (container["name"] == name) return container;
  }
  throw std::runtime_error("no init container " + name);
}

std::vector<std::string> init_container_names(const Json& deployment) {
  std::vector<std::string> names;
  const Json& spec = deployment["spec"]["template"]["spec"];
  for (const Json& container : spec.value("initContainers", Json::array())) {
    names.push_back(container["name"]);
  }
  return names;
}

// The command and its arguments as one string, to look for flags.
std::string command_line(const Json& container) {
  std::string line;
  for (const char* field : {"command", "args"}) {
    for (const Json& word : container.value(field, Json::array())) {
      line += word.get<std::string>() + " ";
    }
  }
  return line;
}

bool mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_SUITE("integration/airgapped") {
  TEST_CASE("mirror, wheelhouse and prebuilt sources instrument and roll back exactly") {
    ClusterCli cluster(kServices);
    const Json originals[] = {cluster.seed("minimal", "app-mirror"),
                              cluster.seed("minimal", "app-wheels"),
                              cluster.seed("minimal", "app-prebuilt")};

    const auto instrumented = cluster.run(fast({"instrument", "mirror", "wheels", "prebuilt"}));
    INFO(instrumented.out, instrumented.err);
    REQUIRE(instrumented.exit_code == 0);

    // The mirror: pip in the app's image, told where the index is.
    const Json mirror = cluster.deployment("app-mirror");
    CHECK(init_container_names(mirror) == std::vector<std::string>{"otel-auto-instrumentation"});
    const Json mirror_plan = plan_of(init_container(mirror, "otel-auto-instrumentation"));
    CHECK(mirror_plan["source"] == "index");
    CHECK(mirror_plan["pip_args"] == Json{"--index-url",
                                          "https://nexus.corp.example/repository/pypi/simple",
                                          "--trusted-host", "nexus.corp.example"});
    CHECK(init_container(mirror, "otel-auto-instrumentation")["image"] ==
          originals[0]["spec"]["template"]["spec"]["containers"][0]["image"]);

    // The wheelhouse: its image copies the wheels first, then pip installs with no index.
    const Json wheels = cluster.deployment("app-wheels");
    CHECK(init_container_names(wheels) ==
          std::vector<std::string>{"otel-wheelhouse", "otel-auto-instrumentation"});
    CHECK(init_container(wheels, "otel-wheelhouse")["image"] ==
          "registry.corp.example/cxtm-otel-wheels:1.41.0-py3.12");
    CHECK(mentions(command_line(init_container(wheels, "otel-wheelhouse")), "/wheelhouse/."));
    CHECK(plan_of(init_container(wheels, "otel-auto-instrumentation"))["pip_args"] ==
          Json{"--no-index", "--find-links", "/otel-wheelhouse"});

    // Prebuilt: its image only copies; the installer in the app's image picks from the copy,
    // with no pip anywhere.
    const Json prebuilt = cluster.deployment("app-prebuilt");
    CHECK(init_container_names(prebuilt) ==
          std::vector<std::string>{"otel-prebuilt", "otel-auto-instrumentation"});
    const Json& copier = init_container(prebuilt, "otel-prebuilt");
    CHECK(copier["image"] == "registry.corp.example/cxtm-otel-python:1.41.0-py3.12");
    CHECK(mentions(command_line(copier), "cp -R"));
    const Json& picker = init_container(prebuilt, "otel-auto-instrumentation");
    CHECK(picker["image"] == originals[2]["spec"]["template"]["spec"]["containers"][0]["image"]);
    CHECK(plan_of(picker)["source"] == "prebuilt");
    CHECK(plan_of(picker)["pip_args"] == Json::array());

    const auto status = cluster.run({"status", "mirror", "wheels", "prebuilt", "-o", "json"});
    INFO(status.out, status.err);
    CHECK(status.exit_code == 0);
    CHECK(mentions(status.out, "\"instrumented\""));

    // The mirror's service moves to a prebuilt image: an upgrade in place, the first original kept.
    std::string config = cxtm::read_file(cluster.config());
    const std::string mirror_settings =
        "      index_url: https://nexus.corp.example/repository/pypi/simple\n"
        "      trusted_host: nexus.corp.example\n";
    REQUIRE(mentions(config, mirror_settings));
    config.replace(config.find(mirror_settings), mirror_settings.size(),
                   "      source: prebuilt\n      prebuilt:\n"
                   "        image: registry.corp.example/cxtm-otel-python:1.41.0-py3.12\n");
    cxtm::write_file_atomic(cluster.config(), config);
    const auto upgraded = cluster.run(fast({"instrument", "mirror"}));
    INFO(upgraded.out, upgraded.err);
    CHECK(upgraded.exit_code == 0);
    CHECK(mentions(upgraded.out, "mirror (default/app-mirror): upgraded"));
    CHECK(plan_of(init_container(cluster.deployment("app-mirror"),
                                 "otel-auto-instrumentation"))["source"] == "prebuilt");
    CHECK(init_container_names(cluster.deployment("app-mirror")) ==
          std::vector<std::string>{"otel-prebuilt", "otel-auto-instrumentation"});

    const auto rolled_back = cluster.run(fast({"rollback", "mirror", "wheels", "prebuilt"}));
    INFO(rolled_back.out, rolled_back.err);
    REQUIRE(rolled_back.exit_code == 0);
    const char* names[] = {"app-mirror", "app-wheels", "app-prebuilt"};
    for (int i = 0; i < 3; ++i) {
      CAPTURE(names[i]);
      const Json live = cluster.deployment(names[i]);
      CHECK_FALSE(has_installer(live));
      CHECK(same_json(live["spec"]["template"], originals[i]["spec"]["template"]));
    }
  }
}

}  // namespace test_integration_airgapped
