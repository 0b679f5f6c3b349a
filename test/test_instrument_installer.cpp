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
#include "support/package_sets.h"

namespace test_instrument_installer {

using cxtm::Error;
using cxtm::ExitCode;
using cxtm::Json;
using namespace cxtm::instrument;
using cxtm::testing::plan_of;

namespace {

constexpr std::string_view kAppImage = "registry.example.com/scheduler:2.14.1-py3.12";
constexpr std::string_view kWheels = "registry.example.com/cxtm-otel-wheels:1.41.0-py3.12";
constexpr std::string_view kPrebuilt = "registry.example.com/cxtm-otel-python:1.41.0-py3.12";

InstrumentationSpec spec_for(PackageSource source) {
  InstrumentationSpec spec{.service_name = "cxtm-scheduler",
                           .otlp_endpoint = "http://otel-collector.default.svc:4318",
                           .environment = "cxtm-poc",
                           .service_namespace = "default",
                           .packages = cxtm::testing::small_package_set(),
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

// The pod spec the app container sits in, with no pod-level securityContext.
Json pod_of() {
  return Json{{"containers", Json::array({app_container()})}};
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

  TEST_CASE("index: the installer runs in the app's image with the mirror's pip options") {
    const auto spec = spec_for(PackageSource::index);
    const Json command = installer_command(spec, app_container());
    REQUIRE(command.size() == 5);
    CHECK(command[0] == "python3");
    CHECK(command[1] == "-c");
    CHECK(command[2].get<std::string>().starts_with("# cxtm-o11y's installer"));
    const Json plan = Json::parse(command[3].get<std::string>());
    CHECK(plan["source"] == "index");
    CHECK(plan["target"] == "/otel-auto-instrumentation");
    CHECK(plan["pip_args"] == Json{"--index-url", "https://pypi.mirror.example.com/simple",
                                   "--trusted-host", "pypi.mirror.example.com"});
    CHECK(plan["lock"] == spec.packages.to_json()["lock"]);
    CHECK(plan["base"] == Json{"opentelemetry-distro"});
    CHECK_FALSE(plan.contains("staging"));
    const Json inits = installer_containers(spec, pod_of(), app_container(), "here");
    REQUIRE(inits.size() == 1);
    CHECK(inits[0]["name"] == kInitContainerName);
    CHECK(inits[0]["image"] == kAppImage);
    CHECK(inits[0]["command"] == command);
    CHECK(inits[0]["imagePullPolicy"] == "Always");  // the app's
    CHECK(inits[0]["workingDir"] == "/tmp");
    CHECK(names_of(installer_volumes(spec)) ==
          std::vector<std::string>{"otel-auto-instrumentation", "otel-pip-tmp"});
    CHECK_FALSE(spec.to_json().contains("packageSource"));
  }

  TEST_CASE("the installer runs the app's interpreter in the app's image, python3 elsewhere") {
    auto spec = spec_for(PackageSource::index);
    Json app = app_container();
    app["command"] = Json{"/app/.venv/bin/gunicorn", "app:app"};
    CHECK(installer_command(spec, app)[0] == "/app/.venv/bin/python3");
    spec.init_image = "python:3.12-slim";  // another image: the app's path may not exist there
    CHECK(installer_command(spec, app)[0] == "python3");
  }

  TEST_CASE("the plan says how the app container sets PYTHONPATH") {
    const auto spec = spec_for(PackageSource::index);
    // No PYTHONPATH in the pod spec: the image's own ENV one is what the app sees, so it is kept.
    Json plan = Json::parse(installer_command(spec, app_container())[3].get<std::string>());
    CHECK(plan["merge_image_pythonpath"] == true);
    CHECK(plan["app_pythonpath"] == Json::array());
    // One in the pod spec replaces the image's: its entries are searched for the app's
    // distributions ($(VAR) ones only the kubelet can expand), and the image's stays out.
    Json app = app_container();
    app["env"] =
        Json::array({{{"name", "PYTHONPATH"}, {"value", "/app/src:$(EXTRA):/app/vendor"}}});
    plan = Json::parse(installer_command(spec, app)[3].get<std::string>());
    CHECK(plan["merge_image_pythonpath"] == false);
    CHECK(plan["app_pythonpath"] == Json{"/app/src", "/app/vendor"});
    // The config's choices travel with the plan.
    auto chosen = spec;
    chosen.extras = {"requests"};
    chosen.exclude = {"flask"};
    plan = Json::parse(installer_command(chosen, app_container())[3].get<std::string>());
    CHECK(plan["extras"] == Json{"requests"});
    CHECK(plan["exclude"] == Json{"flask"});
    CHECK(plan["sitecustomize_dir"] == "/otel-auto-instrumentation/cxtm-o11y");
    const std::string sitecustomize = installer_command(chosen, app_container())[4];
    CHECK(sitecustomize.find("initialize()") != std::string::npos);
  }

  TEST_CASE("wheelhouse: a copy of the wheels, then the installer with pip --no-index") {
    auto spec = spec_for(PackageSource::wheelhouse);
    spec.index_url = "https://ignored.example.com/simple";  // not used without an index
    const Json inits = installer_containers(spec, pod_of(), app_container(), "here");
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
    const Json& installer = inits[1];
    CHECK(installer["name"] == kInitContainerName);
    CHECK(installer["image"] == kAppImage);
    CHECK(plan_of(installer)["pip_args"] == Json{"--no-index", "--find-links", "/otel-wheelhouse"});
    CHECK(installer["volumeMounts"].back() ==
          Json{{"mountPath", "/otel-wheelhouse"}, {"name", "otel-wheelhouse"}, {"readOnly", true}});
    // The copy runs another image under runAsNonRoot and no user is named: it gets one.
    CHECK(copy["securityContext"] == Json{{"runAsNonRoot", true},
                                          {"readOnlyRootFilesystem", true},
                                          {"capabilities", {{"drop", {"ALL"}}}},
                                          {"runAsUser", kCopyUser}});
    // The installer runs the app's image as the app's user, without the capabilities it adds.
    CHECK(installer["securityContext"] == Json{{"runAsNonRoot", true},
                                               {"readOnlyRootFilesystem", true},
                                               {"capabilities", {{"drop", {"ALL"}}}}});
    CHECK(names_of(installer_volumes(spec)) ==
          std::vector<std::string>{"otel-auto-instrumentation", "otel-pip-tmp", "otel-wheelhouse"});
    CHECK(spec.to_json()["packageSource"] == "wheelhouse");
  }

  TEST_CASE("prebuilt: a copy out of the image, then the installer picks from it without pip") {
    const auto spec = spec_for(PackageSource::prebuilt);
    const Json inits = installer_containers(spec, pod_of(), app_container(), "here");
    REQUIRE(inits.size() == 2);
    CHECK(inits[0]["name"] == kPrebuiltContainerName);
    CHECK(inits[0]["image"] == kPrebuilt);
    CHECK(inits[0]["imagePullPolicy"] == "IfNotPresent");
    CHECK(inits[0]["command"] == Json{"cp", "-R", "/otel-python/.", "/otel-prebuilt"});
    CHECK_FALSE(inits[0].contains("env"));
    CHECK(inits[1]["name"] == kInitContainerName);
    CHECK(inits[1]["image"] == kAppImage);
    const Json plan = plan_of(inits[1]);
    CHECK(plan["source"] == "prebuilt");
    CHECK(plan["staging"] == "/otel-prebuilt");
    CHECK(plan["pip_args"] == Json::array());
    CHECK(names_of(installer_volumes(spec)) ==
          std::vector<std::string>{"otel-auto-instrumentation", "otel-pip-tmp", "otel-prebuilt"});
  }

  TEST_CASE("a copy container gets a user only where the kubelet would refuse its image's") {
    const auto spec = spec_for(PackageSource::prebuilt);
    const auto copy_context = [&](const Json& pod, const Json& app) {
      return installer_containers(spec, pod, app, "here")[0]["securityContext"];
    };
    Json app = {{"name", "scheduler"}, {"image", kAppImage}};
    // No policy: the image's own user.
    CHECK(copy_context(pod_of(), app).is_null());
    // runAsNonRoot on the pod, no user anywhere: the kubelet would refuse a root image.
    Json pod = {{"securityContext", {{"runAsNonRoot", true}}}};
    CHECK(copy_context(pod, app) == Json{{"runAsUser", kCopyUser}});
    // A user on the pod or the container applies to the copy too: nothing to add.
    pod["securityContext"]["runAsUser"] = 10001;
    CHECK(copy_context(pod, app).is_null());
    app["securityContext"] = {{"runAsNonRoot", true}, {"runAsUser", 10002}};
    CHECK(copy_context(pod_of(), app) == Json{{"runAsNonRoot", true}, {"runAsUser", 10002}});
    // The container's runAsNonRoot: false wins over the pod's true.
    app["securityContext"] = {{"runAsNonRoot", false}};
    CHECK(copy_context({{"securityContext", {{"runAsNonRoot", true}}}}, app) ==
          Json{{"runAsNonRoot", false}});
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
      CHECK(installer_containers(spec, pod_of(), app_container(), "here")[0]["imagePullPolicy"] ==
            policy);
    }
  }

  TEST_CASE("a source without its image is refused, naming the setting") {
    auto wheelhouse = spec_for(PackageSource::wheelhouse);
    wheelhouse.wheelhouse.image.clear();
    CHECK(error_of([&] {
            installer_containers(wheelhouse, pod_of(), app_container(), "Deployment x");
          }) ==
          "Deployment x: no image to run the installer with; set the service's "
          "instrumentation.wheelhouse.image");
    auto prebuilt = spec_for(PackageSource::prebuilt);
    prebuilt.prebuilt.image.clear();
    CHECK(error_of([&] {
            installer_containers(prebuilt, pod_of(), app_container(), "Deployment x");
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
      CHECK(inits == names_of(installer_containers(spec, pod_of(), app_container(), "")));
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

  TEST_CASE("a new app image makes every source outdated: the installer runs in it") {
    for (PackageSource source :
         {PackageSource::index, PackageSource::wheelhouse, PackageSource::prebuilt}) {
      CAPTURE(to_string(source));
      const auto spec = spec_for(source);
      Json instrumented = instrument_deployment(deployment(), spec, "0.1.0").deployment;
      CHECK(detect_state(instrumented, spec) == State::current);
      instrumented["spec"]["template"]["spec"]["containers"][0]["image"] =
          "registry.example.com/scheduler:2.15.0-py3.12";
      CHECK(detect_state(instrumented, spec) == State::outdated);
    }
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

}  // namespace test_instrument_installer
