// Check 5's proof that tracing started in the app's own process, end to end. The machine's
// python3 runs an app as the instrumented pod would: the installer fills the volume for a
// Flask app image (support/app_image.h), and the process gets the app container's environment
// exactly as the transform wrote it into the world's Deployment, the mount path replaced by the
// volume's. What each process prints (stdout and stderr, as a container log has both) is served
// by the API server double as the app's log, and validate passes or fails check 5 with the
// cause named. The OpenTelemetry packages are stand-ins (test/tools/make_wheels.py); the
// sitecustomize, the installer, pip and Python are real.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "fixtures/kube_python_image.h"
#include "instrument/transform.h"
#include "support/app_image.h"
#include "support/text.h"
#include "support/validate_world.h"
#include "validate/startup_report.h"

namespace test_validate_startup_evidence {

using cxtm::Json;
using cxtm::testing::any_detail;
using cxtm::testing::check;
using cxtm::testing::contains;
using cxtm::testing::json_contains;
using cxtm::testing::validate_json;
using cxtm::testing::ValidateWorld;
using cxtm::validate::read_startup_reports;
using cxtm::validate::StartupReport;
using namespace cxtm::testing::python;
namespace fs = std::filesystem;

namespace {

constexpr const char* kDeployment = "/apis/apps/v1/namespaces/default/deployments/cxtm-scheduler";

// A Flask app image whose volume the installer filled for real.
struct FlaskImage {
  AppImage image;

  FlaskImage() {
    image.has("Flask", "3.0.3").has("Werkzeug", "3.0.3");
    const auto installed = image.install(image.plan());
    INFO(installed.out << installed.err);
    REQUIRE(installed.exit_code == 0);
  }

  // The app container of the world's instrumented Deployment, as it is stored.
  static Json app_container(const ValidateWorld& world) {
    const auto deployment = world.kube.get(kDeployment);
    REQUIRE(deployment.has_value());
    return (*deployment)["spec"]["template"]["spec"]["containers"][0];
  }

  // That container's environment for a local process: literal values with the mount path
  // replaced by the volume's; downward-API values made up, as the kubelet would fill them.
  Env env_of(const Json& container) const {
    Env env = kHermetic;
    const std::string mount(cxtm::instrument::kMountPath);
    for (const Json& variable : container["env"]) {
      const std::string name = variable["name"];
      if (!variable.contains("value")) {
        env[name] = "from-the-downward-api";
        continue;
      }
      std::string value = variable["value"];
      for (size_t at = value.find(mount); at != std::string::npos; at = value.find(mount, at + 1)) {
        value.replace(at, mount.size(), image.volume().string());
      }
      env[name] = value;
    }
    return env;
  }

  // Runs script as the app (python <flags> app.py) with env; returns its log: stdout, stderr.
  std::string start(const std::string& script, const Env& env,
                    const std::vector<std::string>& flags = {}) const {
    const fs::path app = image.root() / "app.py";
    std::ofstream(app) << script;
    std::vector<std::string> argv = {image.python()};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.push_back(app.string());
    const auto result = run(argv, env);
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    return result.out + result.err;
  }
};

// One image for the cases that leave it as it is: the installs are the slow part.
const FlaskImage& shared_flask() {
  static const FlaskImage flask;
  return flask;
}

const char* const kServing = "print('serving', flush=True)\n";

// Werkzeug's reloader, reduced: the first process starts itself again as the server child
// (WERKZEUG_RUN_MAIN=true) and waits; the app's other Python children are not servers.
const char* const kReloader =
    "import os, subprocess, sys\n"
    "if os.environ.get('WERKZEUG_RUN_MAIN') == 'true':\n"
    "    print('serving in the child', flush=True)\n"
    "else:\n"
    "    subprocess.run([sys.executable] + sys.argv,\n"
    "                   env=dict(os.environ, WERKZEUG_RUN_MAIN='true'), check=True)\n"
    "    subprocess.run([sys.executable, '-c', 'print(\"a script the app runs\")'], check=True)\n";

// uvicorn --workers, reduced: workers are interpreters multiprocessing spawns.
const char* const kSpawnedWorker =
    "import multiprocessing\n"
    "def serve():\n"
    "    print('worker serving', flush=True)\n"
    "if __name__ == '__main__':\n"
    "    worker = multiprocessing.get_context('spawn').Process(target=serve)\n"
    "    worker.start()\n"
    "    worker.join()\n";

Json service_check(ValidateWorld& world, const std::string& log) {
  world.set_app_logs(log);
  return check(validate_json(world).report, "service");
}

}  // namespace

TEST_SUITE("validate/startup_evidence") {
  TEST_CASE("a traced app: the report names the process and SDK and instrumentors and endpoint") {
    ValidateWorld world;
    const FlaskImage& flask = shared_flask();
    const Json container = FlaskImage::app_container(world);
    const std::string log = flask.start(kServing, flask.env_of(container));
    const auto reports = read_startup_reports(log);
    INFO(log);
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].started);
    CHECK(reports[0].role.empty());
    CHECK(reports[0].sdk == "1.41.1");
    CHECK(reports[0].exporter == "otlp");
    CHECK(reports[0].protocol == "http/protobuf");
    CHECK(reports[0].endpoint == world.config().otlp_http_endpoint());
    CHECK(reports[0].instrumented == std::vector<std::string>{"flask", "logging"});

    // The API double's Python image logs the same report for the same container (its pid and
    // Python version aside): the other tests' pods start as this real process did.
    const Json pod = {{"spec", {{"containers", Json::array({container})}}}};
    const auto modelled =
        read_startup_reports(cxtm::testing::kubefake::python_start_up_log(pod, "scheduler"));
    REQUIRE(modelled.size() == 1);
    Json real = cxtm::validate::to_json(reports[0]);
    Json model = cxtm::validate::to_json(modelled[0]);
    for (Json* report : {&real, &model}) {
      report->erase("pid");
      report->erase("python");
    }
    CHECK(real == model);

    const Json service = service_check(world, log);
    CHECK(service["status"] == "pass");
    CHECK(service["data"]["pods"][0]["tracing"][0]["instrumented"] == Json{"flask", "logging"});
    CHECK(json_contains(service["summary"],
                        "; tracing started in 1/1 app logs read (flask, logging)"));
  }

  TEST_CASE("a volume without OpenTelemetry's start-up: not started with the import error named") {
    ValidateWorld world;
    const FlaskImage flask;
    fs::remove_all(flask.image.volume() / "opentelemetry" / "instrumentation" /
                   "auto_instrumentation");
    const std::string log = flask.start(kServing, flask.env_of(FlaskImage::app_container(world)));
    INFO(log);
    CHECK(contains(log, "serving\n"));  // the app runs on, untraced
    const auto reports = read_startup_reports(log);
    REQUIRE(reports.size() == 1);
    CHECK_FALSE(reports[0].started);
    CHECK(contains(reports[0].reason,
                   "ModuleNotFoundError: No module named "
                   "'opentelemetry.instrumentation.auto_instrumentation'"));

    const Json service = service_check(world, log);
    CHECK(service["status"] == "fail");
    CHECK(any_detail(service, "tracing did not start in pid "));
    CHECK(json_contains(service["remedy"], "run cxtm-o11y instrument again"));
  }

  TEST_CASE("an instrumentation that fails at start: OpenTelemetry's own lines fail the check") {
    ValidateWorld world;
    const FlaskImage& flask = shared_flask();
    const std::string log =
        flask.start(kServing, with(flask.env_of(FlaskImage::app_container(world)),
                                   {{"CXTM_TEST_BREAK_INSTRUMENTORS", "flask"}}));
    INFO(log);
    CHECK(contains(log, "Instrumenting of flask failed\n"));
    const Json service = service_check(world, log);
    CHECK(service["status"] == "fail");
    CHECK(any_detail(service, "the app's log says: Instrumenting of flask failed"));
    CHECK(any_detail(service, "the app's log says: Failed to auto initialize OpenTelemetry"));
    CHECK(json_contains(service["remedy"], "instrumentation.exclude"));
  }

  TEST_CASE("python -I: no report at all and check 5 says the hook never ran") {
    ValidateWorld world;
    const FlaskImage& flask = shared_flask();
    const std::string log =
        flask.start(kServing, flask.env_of(FlaskImage::app_container(world)), {"-I"});
    INFO(log);
    CHECK(log == "serving\n");
    const Json service = service_check(world, log);
    CHECK(service["status"] == "fail");
    CHECK(any_detail(service,
                     "no start-up report in the app's log: its Python never ran the "
                     "instrumentation's start-up hook"));
    CHECK(json_contains(service["remedy"], "no python -I, -E or -S"));
  }

  TEST_CASE("a reloader's server child starts tracing too but the app's other children do not") {
    ValidateWorld world;
    const FlaskImage& flask = shared_flask();
    const std::string log = flask.start(kReloader, flask.env_of(FlaskImage::app_container(world)));
    INFO(log);
    CHECK(contains(log, "serving in the child\n"));
    CHECK(contains(log, "a script the app runs\n"));
    const auto reports = read_startup_reports(log);
    REQUIRE(reports.size() == 2);  // the reloader and its server child; not the script
    CHECK(reports[0].started);
    CHECK(reports[0].role.empty());
    CHECK(reports[1].started);
    CHECK(reports[1].role == "reloader-child");
    CHECK(reports[1].pid != reports[0].pid);
    CHECK(reports[1].instrumented == std::vector<std::string>{"flask", "logging"});
    const Json service = service_check(world, log);
    CHECK(service["status"] == "pass");
    CHECK(service["data"]["pods"][0]["tracing"].size() == 2);
  }

  TEST_CASE("workers multiprocessing spawns (uvicorn --workers) start tracing") {
    ValidateWorld world;
    const FlaskImage& flask = shared_flask();
    const std::string log =
        flask.start(kSpawnedWorker, flask.env_of(FlaskImage::app_container(world)));
    INFO(log);
    CHECK(contains(log, "worker serving\n"));
    const auto reports = read_startup_reports(log);
    REQUIRE(reports.size() == 2);
    CHECK(reports[1].role == "spawned-worker");
    CHECK(reports[1].started);
    CHECK(service_check(world, log)["status"] == "pass");
  }

  TEST_CASE("uWSGI with threads off: tracing starts yet no span can leave and check 5 says why") {
    ValidateWorld world;
    auto deployment = world.kube.get(kDeployment);
    REQUIRE(deployment.has_value());
    (*deployment)["spec"]["template"]["spec"]["containers"][0]["command"] =
        Json{"uwsgi", "--http", ":8080", "--module", "scheduler.wsgi:app"};
    world.kube.put_object(*deployment);
    const Json service = check(validate_json(world).report, "service");
    CHECK(service["status"] == "fail");
    CHECK(any_detail(service,
                     "container scheduler: uWSGI without --enable-threads and "
                     "--lazy-apps: without threads the exporter never sends"));
    CHECK(json_contains(service["remedy"], "kubectl edit -n default deployment/cxtm-scheduler"));
  }

  TEST_CASE(
      "a log the kubelet rotated since the start: no report is a warning that proves nothing") {
    ValidateWorld world;
    // Lines written long after the container started: the log's head is not its start.
    for (const auto& pod : world.pods("cxtm-scheduler")) {
      world.kube.set_log("default", pod, "scheduler", "[INFO] GET /api/jobs 200\n",
                         cxtm::testing::kubefake::LogInstance::current, "2099-01-01T00:00:00Z");
    }
    const Json service = check(validate_json(world).report, "service");
    CHECK(service["status"] == "warn");
    CHECK(any_detail(service, "the app's log no longer starts where the container did"));
    CHECK(json_contains(service["remedy"],
                        "kubectl rollout restart -n default deployment/cxtm-scheduler"));
    // The same lines written as the container started: the hook never ran, a failure.
    world.set_app_logs("[INFO] GET /api/jobs 200\n");
    CHECK(check(validate_json(world).report, "service")["status"] == "fail");
  }
}

}  // namespace test_validate_startup_evidence
