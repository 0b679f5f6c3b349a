// The installer (templates/instrumentation/installer.py) and the sitecustomize it writes, run
// for real by the machine's python3 exactly as the init container runs them (the script and
// the plan from installer_command), against "app images" (support/app_image.h): virtualenvs
// whose site-packages hold the app's distributions, real pip installing from small but valid
// wheels, no package index contacted.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "config/python_packages.h"
#include "core/text.h"
#include "instrument/installer.h"
#include "instrument/transform.h"
#include "support/app_image.h"
#include "support/text.h"

namespace test_instrument_python_installer {

using cxtm::Json;
using cxtm::to_lower;
using cxtm::trim;
using cxtm::testing::contains;
using namespace cxtm::testing::python;
using namespace cxtm::instrument;
namespace fs = std::filesystem;

namespace {

bool has_key(const Json& object, const std::string& key) {
  return object.contains(key);
}

std::vector<std::string> strings(const Json& array) {
  return array.get<std::vector<std::string>>();
}

}  // namespace

TEST_SUITE("instrument/python_installer") {
  TEST_CASE("every locked version meets every range on it, by pip's own version rules") {
    AppImage app;
    Json plan = app.plan();
    for (const auto& row : cxtm::config::python_packages().instrumentations) {
      plan["extras"].push_back(row.name);
    }
    const Json decision = app.decide(plan);
    CHECK(decision["conflicts"] == Json::array());
    // With every instrumentation added to an app that has nothing, the whole lock is needed.
    CHECK(decision["install"].size() == cxtm::config::python_packages().lock.size());
    CHECK(decision["kept"] == Json::object());
  }

  TEST_CASE("an app's protobuf in range is kept: the volume gets none") {
    AppImage app;
    app.has("protobuf", "5.29.3").has("Flask", "3.0.3");
    const Json decision = app.decide(app.plan());
    CHECK(decision["kept"]["protobuf"] == "5.29.3");
    CHECK_FALSE(has_key(decision["install"], "protobuf"));
    CHECK(decision["install"]["opentelemetry-proto"] == "1.41.1");
    CHECK(decision["conflicts"] == Json::array());
  }

  TEST_CASE("an app's protobuf 4 stops the installer with one line naming version and range") {
    AppImage app;
    app.has("protobuf", "4.25.3");
    const auto result = app.install(app.plan());
    CHECK(result.exit_code == 2);
    CHECK(trim(result.err) ==
          "cxtm-o11y installer: protobuf: the app has 4.25.3, opentelemetry-proto needs "
          "protobuf >= 5.0, < 7.0 (the app's versions win: change them, or exclude the "
          "instrumentation that needs another)");
    CHECK(result.err.find('\n') == result.err.size() - 1);  // one line
    CHECK(app.volume_distributions().empty());              // nothing was installed
  }

  TEST_CASE("the detection table picks instrumentations by the app's libraries and ranges") {
    struct Shape {
      std::string name;
      std::vector<std::pair<std::string, std::string>> has;
      std::vector<std::string> instrumentations;
    };
    const std::vector<Shape> shapes = {
        {"Flask 3 behind gunicorn",
         {{"Flask", "3.0.3"}, {"gunicorn", "22.0.0"}},
         {"flask", "logging"}},
        {"Django with psycopg2-binary and redis",
         {{"Django", "5.1.4"}, {"psycopg2-binary", "2.9.10"}, {"redis", "5.2.1"}},
         {"django", "psycopg2", "redis", "logging"}},
        {"FastAPI on uvicorn with httpx",
         {{"fastapi", "0.115.6"},
          {"starlette", "0.41.3"},
          {"uvicorn", "0.34.0"},
          {"httpx", "0.28.1"}},
         {"fastapi", "starlette", "httpx", "logging"}},
        {"a Celery worker with SQLAlchemy 2.0 and psycopg 3",
         {{"celery", "5.4.0"}, {"SQLAlchemy", "2.0.36"}, {"psycopg", "3.2.3"}},
         {"sqlalchemy", "psycopg", "celery", "logging"}},
        {"a client of requests and urllib3",
         {{"requests", "2.32.3"},
          {"urllib3", "2.2.3"},
          {"idna", "3.10"},
          {"charset-normalizer", "3.4.0"},
          {"certifi", "2024.12.14"}},
         {"requests", "urllib3", "logging"}},
    };
    for (const auto& shape : shapes) {
      CAPTURE(shape.name);
      AppImage app;
      for (const auto& [name, version] : shape.has) app.has(name, version);
      const Json decision = app.decide(app.plan());
      CHECK(strings(decision["instrumentations"]) == shape.instrumentations);
      CHECK(decision["conflicts"] == Json::array());
      // Nothing the app has is installed again.
      for (const auto& [name, version] : shape.has) {
        CHECK_FALSE(has_key(decision["install"], to_lower(name)));
      }
    }
  }

  TEST_CASE("a library outside an instrumentation's range is named, not instrumented") {
    AppImage app;
    app.has("SQLAlchemy", "2.1.0").has("celery", "6.0.0");
    const Json decision = app.decide(app.plan());
    CHECK(strings(decision["instrumentations"]) == std::vector<std::string>{"logging"});
    CHECK(strings(decision["notes"]) ==
          std::vector<std::string>{
              "sqlalchemy not instrumented: the app's SQLAlchemy 2.1.0 is outside <2.1.0,>=1.0.0",
              "celery not instrumented: the app's celery 6.0.0 is outside <6.0,>=4.0"});
  }

  TEST_CASE("the config adds and excludes instrumentations") {
    AppImage app;
    app.has("Flask", "3.0.3");
    auto spec = shipped_spec();
    spec.extras = {"requests"};
    spec.exclude = {"logging"};
    const Json decision = app.decide(app.plan(spec));
    CHECK(strings(decision["instrumentations"]) == std::vector<std::string>{"flask", "requests"});
    CHECK(decision["install"]["opentelemetry-instrumentation-requests"] == "0.62b1");
    CHECK_FALSE(has_key(decision["install"], "opentelemetry-instrumentation-logging"));
  }

  TEST_CASE("the app's PYTHONPATH from the pod spec is searched for its distributions") {
    AppImage app;
    const fs::path vendor = app.root() / "vendor";
    fs::create_directories(vendor / "Django-5.1.4.dist-info");
    std::ofstream(vendor / "Django-5.1.4.dist-info" / "METADATA")
        << "Metadata-Version: 2.1\nName: Django\nVersion: 5.1.4\n";
    Json container = app_container();
    container["env"] = Json::array({{{"name", "PYTHONPATH"}, {"value", vendor.string()}}});
    const Json decision = app.decide(app.plan(shipped_spec(), container));
    CHECK(strings(decision["instrumentations"]) == std::vector<std::string>{"django", "logging"});
  }

  TEST_CASE(
      "a real install: pinned, --no-deps, the image's pip settings neutralised, no "
      "override") {
    AppImage app;
    app.has("Flask", "3.0.3")
        .has("requests", "2.31.0")
        .has("urllib3", "1.26.18")
        .has("certifi", "2024.2.2")
        .has("idna", "3.6")
        .has("charset-normalizer", "3.3.2");
    // What an image's ENV may carry: each makes a plain `pip install --target` fail or differ.
    const Env image_env = with(kHermetic, {{"PIP_USER", "1"},
                                           {"PIP_REQUIRE_VIRTUALENV", "1"},
                                           {"PIP_NO_BINARY", ":all:"},
                                           {"PIP_TARGET", "/nonexistent"},
                                           {"PYTHONPATH", "/image/lib"}});
    const auto result = app.install(app.plan(), false, image_env);
    INFO(result.out);
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(contains(result.out, "cxtm-o11y installer: Python 3."));
    CHECK(contains(result.out,
                   "instrumentations: flask (Flask 3.0.3), requests (requests "
                   "2.31.0), urllib3 (urllib3 1.26.18), logging (always)"));
    // The app's requests meets the exporter's range: what it needs is the app's business.
    CHECK(contains(result.out, "the app's own, kept: requests 2.31.0\n"));
    CHECK(contains(result.out, "; overrides of the app's distributions: 0\n"));
    // The volume holds the OpenTelemetry set and what only it needs, none of the app's own.
    const auto installed = app.volume_distributions();
    CHECK(installed.size() == 21);
    for (const char* app_own : {"requests-", "urllib3-", "certifi-", "idna-", "charset_normalizer-",
                                "flask-", "Flask-"}) {
      for (const auto& name : installed) {
        CAPTURE(name);
        CHECK_FALSE(name.starts_with(app_own));
      }
    }
    CHECK(std::find(installed.begin(), installed.end(), "protobuf-6.31.1.dist-info") !=
          installed.end());
    CHECK(fs::exists(app.sitecustomize_dir() / "sitecustomize.py"));
    std::ifstream image_path(app.sitecustomize_dir() / "image-pythonpath");
    CHECK(std::string(std::istreambuf_iterator<char>(image_path), {}) == "/image/lib");

    SUBCASE("the app's interpreter starts OpenTelemetry with the image's PYTHONPATH back") {
      const std::string volume = app.volume().string();
      const std::string path =
          app.sitecustomize_dir().string() + ":/app/own:" + volume;  // as the pod spec sets it
      const auto started = run({app.python(), "-c", "print('app started')"},
                               with(kHermetic, {{"PYTHONPATH", path}}));
      INFO(started.err);
      REQUIRE(started.exit_code == 0);
      // initialize() ran before the app, with the image's entry before the volume; processes
      // the app starts get the image's entry too, and the sitecustomize's folder (which starts
      // tracing only in a serving child: test_validate_startup_evidence.cpp).
      CHECK(contains(started.out, "path=" + app.sitecustomize_dir().string() +
                                      ":/app/own:/image/lib:" + volume + ":"));
      CHECK(contains(started.out, "env=" + app.sitecustomize_dir().string() +
                                      ":/app/own:/image/lib:" + volume + "\napp started\n"));
    }

    SUBCASE("a forked worker's metrics carry its own process.pid, the master's do not") {
      const std::string path = app.sitecustomize_dir().string() + ":" + app.volume().string();
      const std::string worker =
          "import os\n"
          "from opentelemetry import metrics\n"
          "def attributes():\n"
          "    return metrics.get_meter_provider()._sdk_config.resource.attributes\n"
          "child = os.fork()\n"
          "if child == 0:\n"
          "    ok = attributes().get('process.pid') == os.getpid()\n"
          "    print('worker', ok, attributes()['service.name'], flush=True)\n"
          "    os._exit(0)\n"
          "os.waitpid(child, 0)\n"
          "print('master', 'process.pid' in attributes())\n";
      const auto forked =
          run({app.python(), "-c", worker}, with(kHermetic, {{"PYTHONPATH", path}}));
      INFO(forked.err);
      REQUIRE(forked.exit_code == 0);
      CHECK(contains(forked.out, "worker True app\n"));
      CHECK(contains(forked.out, "master False\n"));
    }
  }

  TEST_CASE("an app started from its venv's bin folder: the installer runs that venv's Python") {
    AppImage app;
    app.has("celery", "5.4.0");
    Json container = app_container();
    const std::string program = fs::path(app.python()).parent_path() / "celery";
    container["command"] = Json{program, "-A", "jobs", "worker"};
    const Json command = installer_command(shipped_spec(), container);
    REQUIRE(command[0] == (fs::path(app.python()).parent_path() / "python3").string());
    // Run as the init container would, with the machine's python3 first on PATH: the venv's
    // celery is found all the same.
    Json plan = Json::parse(command[3].get<std::string>());
    plan["target"] = app.volume().string();
    plan["pip_args"] = Json{"--no-index", "--find-links", wheels().string()};
    const auto result = run({command[0].get<std::string>(), "-c", command[2].get<std::string>(),
                             plan.dump(), command[4].get<std::string>(), "--dry-run"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(strings(Json::parse(result.out)["instrumentations"]) ==
          std::vector<std::string>{"celery", "logging"});
  }

  TEST_CASE("an image without pip is refused with the remedy, for the pip sources") {
    AppImage app(false);
    const auto result = app.install(app.plan());
    CHECK(result.exit_code == 3);
    CHECK(trim(result.err) ==
          "cxtm-o11y installer: the image has no pip (python3 -m pip fails), as in distroless "
          "images and venvs built by uv: set instrumentation.source: prebuilt");
  }

  TEST_CASE("prebuilt in an image without pip: only what the app lacks is copied out") {
    AppImage app(false);  // distroless: python, no pip
    app.has("Flask", "3.0.3").has("protobuf", "5.29.3");
    Json plan = app.plan(shipped_spec(PackageSource::prebuilt));
    plan["staging"] = prebuilt_folder().string();
    const auto result = app.install(plan);
    INFO(result.out);
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    const auto installed = app.volume_distributions();
    CHECK(installed.size() == 23);
    CHECK(std::find(installed.begin(), installed.end(), "protobuf-6.31.1.dist-info") ==
          installed.end());
    CHECK(std::find(installed.begin(), installed.end(), "requests-2.32.4.dist-info") !=
          installed.end());
    CHECK(std::find(installed.begin(), installed.end(),
                    "opentelemetry_instrumentation_flask-0.62b1.dist-info") != installed.end());
    // Not chosen: no Django in the app, so no Django instrumentation in the volume.
    CHECK(std::find(installed.begin(), installed.end(),
                    "opentelemetry_instrumentation_django-0.62b1.dist-info") == installed.end());
    CHECK(fs::exists(app.volume() / "opentelemetry" / "instrumentation" / "auto_instrumentation" /
                     "__init__.py"));
    CHECK(contains(result.out, "; overrides of the app's distributions: 0\n"));
  }
}

namespace {

// Each corpus shape with what its image holds: the instrumentations the installer must pick,
// and, for an image with an ENV PYTHONPATH, that value.
struct ImageOfShape {
  std::string shape;  // test/testdata/deployments/<shape>.json
  bool pip = true;
  std::vector<std::pair<std::string, std::string>> has;
  std::vector<std::string> instrumentations;
  std::string image_pythonpath;
  std::vector<std::string> runtime_env;  // variables the traps of its pod spec add
};

const std::vector<ImageOfShape>& images_of_shapes() {
  static const std::vector<ImageOfShape> images = {
      {.shape = "cxtm-scheduler-poc",
       .has = {{"Flask", "3.0.3"},
               {"Werkzeug", "3.0.6"},
               {"protobuf", "5.28.3"},
               {"requests", "2.32.3"},
               {"urllib3", "2.2.3"}},
       .instrumentations = {"flask", "requests", "urllib3", "logging"},
       .runtime_env = {"OTEL_PYTHON_EXCLUDED_URLS"}},
      {.shape = "celery-worker",
       .has = {{"celery", "5.4.0"}, {"redis", "5.2.1"}, {"kombu", "5.4.2"}},
       .instrumentations = {"redis", "celery", "logging"}},
      {.shape = "django-gunicorn",
       .has = {{"Django", "5.1.4"},
               {"gunicorn", "23.0.0"},
               {"psycopg2-binary", "2.9.10"},
               {"asgiref", "3.8.1"},
               {"packaging", "24.2"}},
       .instrumentations = {"django", "psycopg2", "logging"},
       .runtime_env = {"OTEL_PYTHON_EXCLUDED_URLS"}},
      {.shape = "fastapi-uvicorn",
       .has = {{"fastapi", "0.115.6"},
               {"starlette", "0.41.3"},
               {"uvicorn", "0.34.0"},
               {"httpx", "0.28.1"},
               {"SQLAlchemy", "2.0.36"},
               {"typing_extensions", "4.12.2"}},
       .instrumentations = {"fastapi", "starlette", "httpx", "sqlalchemy", "logging"},
       .runtime_env = {"OTEL_PYTHON_EXCLUDED_URLS"}},
      {.shape = "gevent",
       .has = {{"Flask", "3.1.0"}, {"gevent", "24.11.1"}, {"gunicorn", "23.0.0"}},
       .instrumentations = {"flask", "logging"},
       .runtime_env = {"OTEL_PYTHON_AUTO_INSTRUMENTATION_EXPERIMENTAL_GEVENT_PATCH"}},
      {.shape = "image-pythonpath",
       .has = {{"requests", "2.32.3"}},
       .instrumentations = {"requests", "logging"},
       .image_pythonpath = "/opt/reports/lib"},
      {.shape = "distroless",
       .pip = false,
       .has = {{"prometheus-client", "0.21.1"}, {"urllib3", "2.3.0"}},
       .instrumentations = {"urllib3", "logging"}},
  };
  return images;
}

}  // namespace

TEST_SUITE("instrument/python_installer") {
  TEST_CASE("corpus shapes: each gets its instrumentations and no override of the app's own") {
    for (const auto& image : images_of_shapes()) {
      CAPTURE(image.shape);
      std::ifstream file(fs::path(CXTM_SOURCE_DIR "/test/testdata/deployments") /
                         (image.shape + ".json"));
      const Json deployment = Json::parse(file);
      // Without pip in the image, the prebuilt source (the only one that works there).
      auto spec = shipped_spec(image.pip ? PackageSource::index : PackageSource::prebuilt);
      spec.service_name = deployment["metadata"]["name"];
      if (!image.pip) spec.prebuilt = {"registry.example.com/otel-python:1.41.1", "/otel-python"};
      const Json instrumented =
          instrument_deployment(deployment, spec, "0.1.0", Force::yes).deployment;
      const Json& inits = instrumented["spec"]["template"]["spec"]["initContainers"];
      const Json& installer = inits[inits.size() - 1];
      REQUIRE(installer["name"] == kInitContainerName);
      // The traps its pod spec shows are handled in the app container's environment.
      std::vector<std::string> runtime_env;
      for (const Json& entry : instrumented["spec"]["template"]["spec"]["containers"][0]["env"]) {
        const std::string name = entry["name"];
        if (name == "OTEL_PYTHON_EXCLUDED_URLS" ||
            name == "OTEL_PYTHON_AUTO_INSTRUMENTATION_EXPERIMENTAL_GEVENT_PATCH") {
          runtime_env.push_back(name);
        }
      }
      CHECK(runtime_env == image.runtime_env);
      // A pod that must not run as root and names no user: the prebuilt copy gets one.
      if (!image.pip) {
        CHECK(inits[0]["name"] == kPrebuiltContainerName);
        CHECK(inits[0]["securityContext"]["runAsUser"] == kCopyUser);
      }

      AppImage app(image.pip);
      for (const auto& [name, version] : image.has) app.has(name, version);
      Json plan = Json::parse(installer["command"][3].get<std::string>());
      // The image's PYTHONPATH is put back only where the pod spec set none (the POC did).
      const std::string env = deployment["spec"]["template"]["spec"]["containers"][0]
                                  .value("env", Json::array())
                                  .dump();
      CHECK(plan["merge_image_pythonpath"] == !contains(env, "\"PYTHONPATH\""));
      plan["target"] = app.volume().string();
      plan["sitecustomize_dir"] = app.sitecustomize_dir().string();
      if (image.pip) {
        plan["pip_args"] = Json{"--no-index", "--find-links", wheels().string()};
      } else {
        plan["staging"] = prebuilt_folder().string();
      }
      const auto result =
          run({app.python(), "-c", installer["command"][2].get<std::string>(), plan.dump(),
               installer["command"][4].get<std::string>(), "--dry-run"},
              with(kHermetic, {{"PYTHONPATH", image.image_pythonpath}}));
      INFO(result.err);
      REQUIRE(result.exit_code == 0);
      const Json decision = Json::parse(result.out);
      CHECK(strings(decision["instrumentations"]) == image.instrumentations);
      CHECK(decision["conflicts"] == Json::array());
      for (const auto& [name, version] : image.has) {
        CHECK_FALSE(has_key(decision["install"], to_lower(name)));
      }
    }
  }
}

}  // namespace test_instrument_python_installer
