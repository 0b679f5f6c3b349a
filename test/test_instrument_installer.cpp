// The three package sources (index, wheelhouse, prebuilt): the init containers and volumes each
// one writes, and instrument → upgrade → rollback round trips for every source over the
// Deployment corpus.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>

#include "core/error.h"
#include "instrument/installer.h"
#include "instrument/owned.h"
#include "instrument/transform.h"

using cxtm::Error;
using cxtm::ExitCode;
using cxtm::Json;
using namespace cxtm::instrument;

namespace {

constexpr std::string_view kAppImage = "registry.example.com/scheduler:2.14.1-py3.12";
constexpr std::string_view kWheels = "registry.example.com/cxtm-otel-wheels:1.41.0-py3.12";
constexpr std::string_view kPrebuilt = "registry.example.com/cxtm-otel-python:1.41.0-py3.12";

InstrumentationSpec spec_for(PackageSource source) {
  InstrumentationSpec spec{
      .service_name = "cxtm-scheduler",
      .otlp_endpoint = "http://otel-collector.default.svc:4318",
      .environment = "cxtm-poc",
      .service_namespace = "default",
      .packages = {"opentelemetry-distro==0.62b0", "opentelemetry-sdk==1.41.0"},
      .source = source,
      .init_requests = {"100m", "256Mi"},
      .init_limits = {"1", "512Mi"}};
  if (source == PackageSource::index) {
    spec.index_url = "https://pypi.mirror.example.com/simple";
    spec.trusted_host = "pypi.mirror.example.com";
  }
  if (source == PackageSource::wheelhouse) spec.wheelhouse = {std::string(kWheels), "/wheelhouse"};
  if (source == PackageSource::prebuilt) spec.prebuilt = {std::string(kPrebuilt), "/otel-python/"};
  return spec;
}

Json app_container() {
  return Json{{"name", "scheduler"},
              {"image", kAppImage},
              {"imagePullPolicy", "Always"},
              {"securityContext",
               {{"runAsNonRoot", true},
                {"readOnlyRootFilesystem", true},
                {"capabilities", {{"drop", {"ALL"}}, {"add", {"NET_ADMIN"}}}}}}};
}

Json deployment() {
  Json pod = {{"containers", Json::array({app_container()})}};
  Json template_ = {{"metadata", {{"labels", {{"app", "scheduler"}}}}}, {"spec", pod}};
  return Json{{"apiVersion", "apps/v1"},
              {"kind", "Deployment"},
              {"metadata", {{"name", "cxtm-scheduler"}, {"namespace", "default"}}},
              {"spec", {{"replicas", 2}, {"template", template_}}}};
}

std::vector<std::string> names_of(const Json& list) {
  std::vector<std::string> names;
  for (const Json& element : list) names.push_back(element["name"]);
  return names;
}

const Json& pod(const Json& d) {
  return d["spec"]["template"]["spec"];
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    CHECK(error.code() == ExitCode::usage);
    return error.what();
  }
  return "";
}

const std::filesystem::path kCorpus = CXTM_SOURCE_DIR "/test/testdata/deployments";

Json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  return Json::parse(in);
}

}  // namespace

TEST_SUITE("instrument/installer") {
  TEST_CASE("source names read back") {
    for (PackageSource source :
         {PackageSource::index, PackageSource::wheelhouse, PackageSource::prebuilt}) {
      CHECK(parse_package_source(to_string(source)) == source);
    }
    CHECK_FALSE(parse_package_source("pypi").has_value());
    CHECK_FALSE(parse_package_source("").has_value());
  }

  TEST_CASE("index: pip from the mirror, in the app's image, as before sources existed") {
    const auto spec = spec_for(PackageSource::index);
    CHECK(installer_command(spec) ==
          Json{"python3", "-m", "pip", "install", "--no-cache-dir", "--disable-pip-version-check",
               "--target", "/otel-auto-instrumentation", "--index-url",
               "https://pypi.mirror.example.com/simple", "--trusted-host",
               "pypi.mirror.example.com", "opentelemetry-distro==0.62b0",
               "opentelemetry-sdk==1.41.0"});
    const Json inits = installer_containers(spec, app_container(), "here");
    REQUIRE(inits.size() == 1);
    CHECK(inits[0]["name"] == kInitContainerName);
    CHECK(inits[0]["image"] == kAppImage);
    CHECK(inits[0]["imagePullPolicy"] == "Always");  // the app's
    CHECK(inits[0]["workingDir"] == "/tmp");
    CHECK(names_of(installer_volumes(spec)) ==
          std::vector<std::string>{"otel-auto-instrumentation", "otel-pip-tmp"});
    // No source keys in the hash input: Deployments instrumented before keep their hash.
    CHECK_FALSE(spec.to_json().contains("packageSource"));
  }

  TEST_CASE("wheelhouse: a copy of the wheels, then pip --no-index from them") {
    auto spec = spec_for(PackageSource::wheelhouse);
    spec.index_url = "https://ignored.example.com/simple";  // not used without an index
    const Json inits = installer_containers(spec, app_container(), "here");
    REQUIRE(inits.size() == 2);
    const Json& copy = inits[0];
    CHECK(copy["name"] == kWheelhouseContainerName);
    CHECK(copy["image"] == kWheels);
    CHECK(copy["imagePullPolicy"] == "IfNotPresent");
    CHECK(copy["command"] == Json{"cp", "-R", "/wheelhouse/.", "/otel-wheelhouse"});
    CHECK(copy["volumeMounts"] ==
          Json::array({{{"mountPath", "/otel-wheelhouse"}, {"name", "otel-wheelhouse"}}}));
    CHECK_FALSE(copy.contains("env"));
    CHECK_FALSE(copy.contains("workingDir"));
    const Json& pip = inits[1];
    CHECK(pip["name"] == kInitContainerName);
    CHECK(pip["image"] == kAppImage);
    CHECK(pip["command"] ==
          Json{"python3", "-m", "pip", "install", "--no-cache-dir", "--disable-pip-version-check",
               "--target", "/otel-auto-instrumentation", "--no-index", "--find-links",
               "/otel-wheelhouse", "opentelemetry-distro==0.62b0", "opentelemetry-sdk==1.41.0"});
    CHECK(pip["volumeMounts"].back() ==
          Json{{"mountPath", "/otel-wheelhouse"}, {"name", "otel-wheelhouse"}, {"readOnly", true}});
    // Both run within the app's policy, without the capabilities it adds.
    for (const Json& init : inits) {
      CHECK(init["securityContext"] == Json{{"runAsNonRoot", true},
                                            {"readOnlyRootFilesystem", true},
                                            {"capabilities", {{"drop", {"ALL"}}}}});
    }
    CHECK(names_of(installer_volumes(spec)) ==
          std::vector<std::string>{"otel-auto-instrumentation", "otel-pip-tmp", "otel-wheelhouse"});
    CHECK(spec.to_json()["packageSource"] == "wheelhouse");
  }

  TEST_CASE("prebuilt: a plain copy out of the image, no pip, no pip volume") {
    const auto spec = spec_for(PackageSource::prebuilt);
    CHECK(installer_command(spec) ==
          Json{"cp", "-R", "/otel-python/.", "/otel-auto-instrumentation"});
    const Json inits = installer_containers(spec, app_container(), "here");
    REQUIRE(inits.size() == 1);
    CHECK(inits[0]["name"] == kInitContainerName);
    CHECK(inits[0]["image"] == kPrebuilt);
    CHECK(inits[0]["imagePullPolicy"] == "IfNotPresent");
    CHECK_FALSE(inits[0].contains("env"));
    CHECK_FALSE(inits[0].contains("workingDir"));
    CHECK(inits[0]["volumeMounts"] == Json::array({{{"mountPath", "/otel-auto-instrumentation"},
                                                    {"name", "otel-auto-instrumentation"}}}));
    CHECK(names_of(installer_volumes(spec)) ==
          std::vector<std::string>{"otel-auto-instrumentation"});
  }

  TEST_CASE("images that are not the app's get the API server's pull policy default") {
    auto spec = spec_for(PackageSource::prebuilt);
    for (const auto& [image, policy] : std::vector<std::pair<std::string, std::string>>{
             {"registry.example.com:5000/otel/python", "Always"},
             {"registry.example.com:5000/otel/python:latest", "Always"},
             {"registry.example.com:5000/otel/python:1.41.0", "IfNotPresent"},
             {"otel/python@sha256:0123456789abcdef", "IfNotPresent"}}) {
      const std::string& image_shown = image;  // clang 14: no structured bindings in CAPTURE
      CAPTURE(image_shown);
      spec.prebuilt.image = image;
      CHECK(installer_containers(spec, app_container(), "here")[0]["imagePullPolicy"] == policy);
    }
  }

  TEST_CASE("a source without its image is refused, naming the setting") {
    auto wheelhouse = spec_for(PackageSource::wheelhouse);
    wheelhouse.wheelhouse.image.clear();
    CHECK(error_of([&] { installer_containers(wheelhouse, app_container(), "Deployment x"); }) ==
          "Deployment x: no image to run the installer with; set the service's "
          "instrumentation.wheelhouse.image");
    auto prebuilt = spec_for(PackageSource::prebuilt);
    prebuilt.prebuilt.image.clear();
    CHECK(error_of([&] {
            installer_containers(prebuilt, app_container(), "Deployment x");
          }).ends_with("instrumentation.prebuilt.image"));
  }

  TEST_CASE("image folders: absolute, below the root, plain characters") {
    CHECK_FALSE(image_folder_problem("/otel-python").has_value());
    CHECK_FALSE(image_folder_problem("/opt/wheels_3.12/").has_value());
    CHECK(image_folder_problem("wheels") == "is not an absolute path");
    CHECK(image_folder_problem("/") == "is the image's root");
    CHECK(image_folder_problem("/a/../etc") == "contains '..'");
    CHECK(image_folder_problem("/a b") == "may only have letters, digits and '._-/'");
    CHECK(image_folder_problem("/a\nRUN x") == "may only have letters, digits and '._-/'");
  }

  TEST_CASE("each source changes the hash, and so does each of its settings") {
    std::set<std::string> hashes;
    for (PackageSource source :
         {PackageSource::index, PackageSource::wheelhouse, PackageSource::prebuilt}) {
      CHECK(hashes.insert(spec_for(source).hash()).second);
    }
    auto wheelhouse = spec_for(PackageSource::wheelhouse);
    wheelhouse.wheelhouse.path = "/other";
    CHECK(hashes.insert(wheelhouse.hash()).second);
    auto prebuilt = spec_for(PackageSource::prebuilt);
    prebuilt.prebuilt.image = "registry.example.com/cxtm-otel-python:1.42.0-py3.12";
    CHECK(hashes.insert(prebuilt.hash()).second);
  }

  TEST_CASE("instrument and rollback with each source") {
    for (PackageSource source :
         {PackageSource::index, PackageSource::wheelhouse, PackageSource::prebuilt}) {
      CAPTURE(to_string(source));
      const auto spec = spec_for(source);
      const Json original = deployment();
      const Json instrumented = instrument_deployment(original, spec, "0.1.0").deployment;
      CHECK(detect_state(instrumented, spec) == State::current);
      const auto inits = names_of(pod(instrumented)["initContainers"]);
      CHECK(inits == names_of(installer_containers(spec, app_container(), "")));
      CHECK(names_of(pod(instrumented)["volumes"]) == names_of(installer_volumes(spec)));
      // The app reads the packages from the same place whatever the source.
      CHECK(pod(instrumented)["containers"][0]["volumeMounts"] ==
            Json::array({{{"mountPath", "/otel-auto-instrumentation"},
                          {"name", "otel-auto-instrumentation"},
                          {"readOnly", true}}}));
      CHECK(remove_owned(instrumented) == original);
      CHECK(restore_deployment(instrumented, original) == original);
      CHECK(owned_parts(remove_owned(instrumented)).empty());
    }
  }

  TEST_CASE("switching sources upgrades in place and leaves nothing of the old one") {
    const std::vector<PackageSource> sources = {PackageSource::index, PackageSource::wheelhouse,
                                                PackageSource::prebuilt};
    for (PackageSource from : sources) {
      for (PackageSource to : sources) {
        if (from == to) continue;
        CAPTURE(to_string(from));
        CAPTURE(to_string(to));
        const Json first = instrument_deployment(deployment(), spec_for(from), "0.1.0").deployment;
        CHECK(detect_state(first, spec_for(to)) == State::outdated);
        const Json second = instrument_deployment(first, spec_for(to), "0.1.0").deployment;
        CHECK(second == instrument_deployment(deployment(), spec_for(to), "0.1.0").deployment);
        CHECK(remove_owned(second) == deployment());
      }
    }
  }

  TEST_CASE("a missing wheel copy makes a wheelhouse Deployment outdated") {
    const auto spec = spec_for(PackageSource::wheelhouse);
    Json instrumented = instrument_deployment(deployment(), spec, "0.1.0").deployment;
    Json& inits = instrumented["spec"]["template"]["spec"]["initContainers"];
    inits.erase(0);
    CHECK(detect_state(instrumented, spec) == State::outdated);
  }

  TEST_CASE("a prebuilt Deployment stays current when the app's image changes") {
    const auto spec = spec_for(PackageSource::prebuilt);
    Json instrumented = instrument_deployment(deployment(), spec, "0.1.0").deployment;
    instrumented["spec"]["template"]["spec"]["containers"][0]["image"] =
        "registry.example.com/scheduler:2.15.0-py3.12";
    CHECK(detect_state(instrumented, spec) == State::current);
    // With pip in the app's image, a new app image means installing again.
    const auto wheelhouse = spec_for(PackageSource::wheelhouse);
    Json with_pip = instrument_deployment(deployment(), wheelhouse, "0.1.0").deployment;
    with_pip["spec"]["template"]["spec"]["containers"][0]["image"] =
        "registry.example.com/scheduler:2.15.0-py3.12";
    CHECK(detect_state(with_pip, wheelhouse) == State::outdated);
  }

  TEST_CASE("every corpus Deployment round-trips with the air-gapped sources") {
    for (const auto& entry : std::filesystem::directory_iterator(kCorpus)) {
      if (entry.path().extension() != ".json") continue;
      const std::string name = entry.path().stem().string();
      // The shapes that need --force or a named container are covered by the corpus suite.
      if (name == "cxtm-scheduler-poc" || name == "otel-conflicting" || name == "sidecars") {
        continue;
      }
      const Json original = read_json(entry.path());
      for (PackageSource source : {PackageSource::wheelhouse, PackageSource::prebuilt}) {
        CAPTURE(name);
        CAPTURE(to_string(source));
        auto spec = spec_for(source);
        // As the config gives it: the service is named after its Deployment.
        spec.service_name = original["metadata"]["name"];
        spec.service_namespace = original["metadata"]["namespace"];
        const Json instrumented = instrument_deployment(original, spec, "0.1.0").deployment;
        CHECK(detect_state(instrumented, spec) == State::current);
        const Json again = instrument_deployment(instrumented, spec, "0.1.0").deployment;
        CHECK(again == instrumented);
        const Json restored = restore_deployment(instrumented, strip_for_backup(original));
        CHECK(restored["spec"]["template"] == original["spec"]["template"]);
      }
    }
  }
}
