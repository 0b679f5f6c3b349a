// The runtime traps read from the pod spec (instrument/python_runtime.h): what is handled with a
// variable or by the tool's sitecustomize, and what is a warning with the remedy.

#include <doctest/doctest.h>

#include "instrument/python_runtime.h"
#include "support/text.h"

namespace test_instrument_python_runtime {

using cxtm::Json;
using cxtm::testing::contains;
using namespace cxtm::instrument;

namespace {

Json app(Json command, Json args = nullptr, Json env = nullptr) {
  Json container = {{"name", "app"}, {"image", "registry.example.com/app:1.0"}};
  if (!command.is_null()) container["command"] = std::move(command);
  if (!args.is_null()) container["args"] = std::move(args);
  if (!env.is_null()) container["env"] = std::move(env);
  return container;
}

Json var(std::string_view name, std::string_view value) {
  return Json{{"name", name}, {"value", value}};
}

PythonRuntime runtime_of(const Json& container) {
  return python_runtime(container, "Deployment/x");
}

bool any_contains(const std::vector<std::string>& lines, std::string_view text) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& line) { return contains(line, text); });
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

}  // namespace

TEST_SUITE("instrument/python_runtime") {
  TEST_CASE("a plain gunicorn app has no trap") {
    const auto runtime = runtime_of(app(Json{"gunicorn"}, Json{"--bind=0.0.0.0:8000", "app:app"}));
    CHECK(runtime.env.empty());
    CHECK(runtime.handled.empty());
    CHECK(runtime.warnings.empty());
  }

  TEST_CASE("reloaders are handled: their server child starts tracing, and the note says why") {
    const std::vector<std::pair<Json, std::string>> shapes = {
        {app(Json{"flask"}, Json{"run", "--debug", "--host=0.0.0.0"}), "flask run --debug"},
        {app(Json{"uvicorn"}, Json{"main:app", "--reload"}), "--reload"},
        {app(Json{"python", "manage.py", "runserver", "0.0.0.0:8000"}),
         "Django's runserver (it reloads unless --noreload)"},
        {app(Json{"flask"}, Json{"run"}, Json::array({var("FLASK_DEBUG", "1")})), "FLASK_DEBUG=1"},
        {app(Json{"sh", "-c", "exec gunicorn --reload app:app"}), "--reload"},
    };
    for (const auto& [container, evidence] : shapes) {
      const std::string& evidence_shown = evidence;  // clang 14: no structured bindings in CAPTURE
      CAPTURE(evidence_shown);
      const auto runtime = runtime_of(container);
      CHECK(runtime.warnings.empty());
      CHECK(runtime.untraced.empty());
      REQUIRE(runtime.handled.size() == 1);
      CHECK(contains(runtime.handled[0],
                     "Deployment/x: the app runs under a reloader (" + evidence + ")"));
      CHECK(contains(runtime.handled[0], "its server child process starts tracing too"));
    }
    // Without it, nothing.
    CHECK(runtime_of(app(Json{"python", "manage.py", "runserver", "--noreload"})).handled.empty());
    CHECK(runtime_of(app(Json{"flask"}, Json{"run", "--debug", "--no-reload"})).handled.empty());
    CHECK(runtime_of(app(Json{"flask"}, Json{"run"}, Json::array({var("FLASK_DEBUG", "0")})))
              .handled.empty());
  }

  TEST_CASE("gevent workers get the patch variable, wherever gunicorn's settings are") {
    for (const Json& container :
         {app(Json{"gunicorn", "-k", "gevent", "app:app"}),
          app(Json{"gunicorn"}, Json{"--worker-class=gevent", "app:app"}),
          app(Json{"/usr/local/bin/gunicorn"},
              Json{"--worker-class", "geventwebsocket.gunicorn.workers.GeventWebSocketWorker"}),
          app(Json{"gunicorn", "app:app"}, nullptr,
              Json::array({var("GUNICORN_CMD_ARGS", "--workers 2 -k gevent")}))}) {
      CAPTURE(container.dump());
      const auto runtime = runtime_of(container);
      CHECK(runtime.env == Pairs{{std::string(kEnvGeventPatch), "patch_all"}});
      CHECK(any_contains(runtime.handled, "gevent workers"));
    }
    // The app's own value is kept, and said so.
    const auto own = runtime_of(app(Json{"gunicorn", "-k", "gevent"}, nullptr,
                                    Json::array({var(kEnvGeventPatch, "patch_all")})));
    CHECK(own.env.empty());
    CHECK(any_contains(own.handled, "is the app's own and is kept"));
  }

  TEST_CASE("several gunicorn workers are handled by the per-process resource") {
    for (const Json& container :
         {app(Json{"gunicorn", "-w", "4", "app:app"}), app(Json{"gunicorn", "--workers=3"}),
          app(Json{"gunicorn", "-w4"}),
          app(Json{"gunicorn"}, nullptr, Json::array({var("WEB_CONCURRENCY", "2")}))}) {
      CAPTURE(container.dump());
      CHECK(any_contains(runtime_of(container).handled,
                         "each worker's metrics carry its own "
                         "process.pid"));
    }
    CHECK(runtime_of(app(Json{"gunicorn", "-w", "1"})).handled.empty());
  }

  TEST_CASE("uvicorn workers are handled and uWSGI without threads leaves the app untraced") {
    const auto uvicorn = runtime_of(app(Json{"uvicorn", "main:app", "--workers", "4"}));
    CHECK(uvicorn.warnings.empty());
    REQUIRE(uvicorn.handled.size() == 1);
    CHECK(contains(uvicorn.handled[0], "starts tracing in each"));
    CHECK(runtime_of(app(Json{"uvicorn", "main:app"})).handled.empty());

    // Threads off for certain: no span leaves the pod.
    const auto bare = runtime_of(app(Json{"uwsgi", "--http", ":8000", "--module", "app:app"}));
    CHECK(bare.warnings.empty());
    REQUIRE(bare.untraced.size() == 1);
    CHECK(contains(bare.untraced[0], "uWSGI without --enable-threads and --lazy-apps"));
    // --threads turns them on too; lazy apps missing is a warning, not a certainty.
    for (const Json& words :
         {Json{"uwsgi", "--enable-threads", "--module", "app:app"},
          Json{"uwsgi", "--threads", "4", "--module", "app:app"}, Json{"uwsgi", "--threads=2"}}) {
      CAPTURE(words.dump());
      const auto half = runtime_of(app(words));
      CHECK(half.untraced.empty());
      REQUIRE(half.warnings.size() == 1);
      CHECK(contains(half.warnings[0], "uWSGI without --lazy-apps:"));
    }
    // A config file may turn threads on: a warning only.
    const auto from_file = runtime_of(app(Json{"uwsgi", "--ini", "/etc/uwsgi.ini"}));
    CHECK(from_file.untraced.empty());
    REQUIRE(from_file.warnings.size() == 1);
    CHECK(contains(from_file.warnings[0], "(its config file may set them)"));
    CHECK(runtime_of(app(Json{"uwsgi", "--enable-threads", "--lazy-apps"})).warnings.empty());
    CHECK(runtime_of(
              app(Json{"uwsgi"}, nullptr,
                  Json::array({var("UWSGI_ENABLE_THREADS", "1"), var("UWSGI_LAZY_APPS", "true")})))
              .warnings.empty());
  }

  TEST_CASE("python -I, -E and -S skip the start-up hook: the app is untraced") {
    for (const char* flag : {"-I", "-E", "-S", "-IS"}) {
      CAPTURE(flag);
      const auto runtime = runtime_of(app(Json{"python3", flag, "app.py"}));
      CHECK(runtime.warnings.empty());
      REQUIRE(runtime.untraced.size() == 1);
      CHECK(contains(runtime.untraced[0], "ignores PYTHONPATH or the site hook"));
    }
    CHECK(runtime_of(app(Json{"python3", "-u", "app.py"})).untraced.empty());
    CHECK(runtime_of(app(Json{"python3", "-m", "app", "-I"})).untraced.empty());  // the app's arg
  }

  TEST_CASE("probe paths are excluded from tracing, anchored at the path's end") {
    Json container = app(Json{"gunicorn"});
    container["livenessProbe"] = {{"httpGet", {{"path", "/livez"}, {"port", 8000}}}};
    container["readinessProbe"] = {{"httpGet", {{"path", "/health/ready?full=1"}, {"port", 8000}}}};
    container["startupProbe"] = {{"tcpSocket", {{"port", 8000}}}};
    CHECK(probe_exclusions(container) == R"(/livez(\?|$),/health/ready(\?|$))");
    const auto runtime = runtime_of(container);
    CHECK(runtime.env ==
          Pairs{{std::string(kEnvExcludedUrls), R"(/livez(\?|$),/health/ready(\?|$))"}});
    // A path with regex characters is escaped; one with a comma would split the list.
    container["livenessProbe"]["httpGet"]["path"] = "/v1.0/health+check";
    container["readinessProbe"]["httpGet"]["path"] = "/a,b";
    CHECK(probe_exclusions(container) == R"(/v1\.0/health\+check(\?|$))");
    // The app's own exclusions are kept.
    container["env"] = Json::array({var(kEnvExcludedUrls, "healthz")});
    CHECK(runtime_of(container).env.empty());
    CHECK(probe_exclusions(app(Json{"gunicorn"})).empty());
  }

  TEST_CASE("the installer runs the Python the app's command names") {
    CHECK(app_interpreter(app(Json{"/app/.venv/bin/python", "-m", "app"})) ==
          "/app/.venv/bin/python");
    CHECK(app_interpreter(app(Json{"/usr/local/bin/python3.12", "app.py"})) ==
          "/usr/local/bin/python3.12");
    // A Python program in a bin folder: the interpreter beside it.
    CHECK(app_interpreter(app(Json{"/app/.venv/bin/gunicorn", "app:app"})) ==
          "/app/.venv/bin/python3");
    CHECK(app_interpreter(app(Json{"/opt/venv/bin/celery", "-A", "jobs", "worker"})) ==
          "/opt/venv/bin/python3");
    // Anything else: python3 from the image's PATH.
    CHECK(app_interpreter(app(Json{"gunicorn", "app:app"})) == "python3");
    CHECK(app_interpreter(app(Json{"/usr/local/bin/uwsgi", "--ini", "a.ini"})) == "python3");
    CHECK(app_interpreter(app(Json{"/bin/sh", "-c", "/app/.venv/bin/python app.py"})) == "python3");
    CHECK(app_interpreter(app(nullptr, Json{"app.py"})) == "python3");
    CHECK(app_interpreter(app(Json{"/app/python3.x"})) == "python3");
    CHECK(app_interpreter(app(Json{"/app dir/bin/python"})) == "python3");
  }
}

}  // namespace test_instrument_python_runtime
