// Check 7, --traffic: where the request goes (pure), and end to end with the built binary, the
// real kubectl and the doubles: a stand-in app behind the API server's service proxy that, like
// a traced app, sends the collector a span for each request it serves (or, untraced, none).
#include <doctest/doctest.h>
#include <httplib.h>

#include "core/error.h"
#include "fixtures/http_double.h"
#include "support/text.h"
#include "support/validate_world.h"
#include "validate/otlp_payload.h"
#include "validate/traffic.h"

namespace test_validate_traffic {

using cxtm::Error;
using cxtm::Json;
using cxtm::testing::check;
using cxtm::testing::contains;
using cxtm::testing::json_contains;
using cxtm::testing::validate_json;
using cxtm::testing::ValidateWorld;
using namespace cxtm::validate;

namespace {

Json deployment() {
  return Json{{"metadata", {{"name", "cxtm-scheduler"}, {"namespace", "default"}}},
              {"spec",
               {{"template",
                 {{"metadata",
                   {{"labels", {{"app.kubernetes.io/name", "scheduler"}, {"tier", "api"}}}}}}}}}};
}

Json service(const std::string& name, Json selector, int port) {
  return Json{
      {"metadata", {{"name", name}, {"namespace", "default"}}},
      {"spec", {{"selector", std::move(selector)}, {"ports", Json::array({{{"port", port}}})}}}};
}

std::string usage_error(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& error) {
    CHECK(error.code() == cxtm::ExitCode::usage);
    return error.what();
  }
  FAIL("no error");
  return "";
}

// A stand-in for the scheduler app: GET /api/jobs is traced (the app sends the collector one
// span, as its exporter would), GET /static/app.js is not.
class StandInApp {
 public:
  explicit StandInApp(int collector_port)
      : http_("stand-in app", [](const cxtm::testing::Fault&, const httplib::Request&) {
          return std::pair(std::string("error"), std::string("text/plain"));
        }) {
    http_.route(
        "GET", "/api/jobs", [collector_port](const httplib::Request&, httplib::Response& response) {
          const auto trace = TestTrace::fresh({"cxtm-scheduler"}, "cxtm-test", "cxtm-test", "app");
          httplib::Client collector("127.0.0.1", collector_port);
          collector.Post("/v1/traces", export_trace_request(trace).dump(), "application/json");
          response.set_content("[]", "application/json");
        });
    http_.route("GET", "/static/app.js", [](const httplib::Request&, httplib::Response& response) {
      response.set_content("//", "text/javascript");
    });
    http_.start();
  }
  int port() const { return http_.port(); }

 private:
  cxtm::testing::HttpDouble http_;
};

// The world's scheduler behind a Service on port 8080, answered by a stand-in app.
void serve_scheduler(ValidateWorld& world, const StandInApp& app) {
  Json object = service("cxtm-scheduler", {{"app.kubernetes.io/name", "scheduler"}}, 8080);
  object["apiVersion"] = "v1";
  object["kind"] = "Service";
  world.kube.put_object(object);
  world.kube.map_service_proxy("default", "cxtm-scheduler", 8080, app.port());
}

}  // namespace

TEST_SUITE("validate/traffic") {
  TEST_CASE("a path goes to the Service whose selector picks the Deployment's pods") {
    const auto target = traffic_target(
        "/api/jobs?limit=1", deployment(),
        {service("other", {{"app.kubernetes.io/name", "notifications"}}, 80),
         service("no-selector", Json::object(), 80),
         service("cxtm-scheduler", {{"app.kubernetes.io/name", "scheduler"}}, 8080)});
    CHECK(target.service == "cxtm-scheduler");
    CHECK(target.port == 8080);
    CHECK(target.path == "/api/jobs?limit=1");
    const std::string none = usage_error([] { traffic_target("/api/jobs", deployment(), {}); });
    CHECK(contains(none,
                   "no Service in namespace default selects the pods of Deployment "
                   "default/cxtm-scheduler"));
  }

  TEST_CASE("a URL names the Service and port, in the Deployment's namespace only") {
    auto target = traffic_target("http://cxtm-scheduler:8080/api/jobs", deployment(), {});
    CHECK(target.service == "cxtm-scheduler");
    CHECK(target.port == 8080);
    CHECK(target.path == "/api/jobs");
    target = traffic_target("http://cxtm-scheduler.default.svc.cluster.local", deployment(), {});
    CHECK(target.port == 80);
    CHECK(target.path == "/");
    CHECK(contains(
        usage_error([] { traffic_target("http://api.other-team:80/x", deployment(), {}); }),
        "Service api is in namespace other-team"));
  }

  TEST_CASE("the option is checked before any cluster call") {
    require_traffic_option("/api/jobs", 3);
    require_traffic_option("http://cxtm-scheduler:8080/", 1);
    CHECK(contains(usage_error([] { require_traffic_option("api/jobs", 1); }),
                   "give a path (/api/ping) or http://SERVICE[:PORT]/path"));
    CHECK(contains(usage_error([] { require_traffic_option("https://x/", 1); }), "give a path"));
    CHECK(contains(usage_error([] { require_traffic_option("http://x:80/y", 2); }),
                   "a URL names one Service"));
  }

  TEST_CASE("a path the app's probes use is excluded from tracing") {
    const Json app = {{"env", Json::array({{{"name", "OTEL_PYTHON_EXCLUDED_URLS"},
                                            {"value", "/healthz$, /ready$"}}})}};
    CHECK(excluded_by("/healthz", app) == "/healthz$");
    CHECK(excluded_by("/ready?full=1", app) == "/ready$");
    CHECK_FALSE(excluded_by("/api/jobs", app));
    CHECK_FALSE(excluded_by("/healthz", Json::object()));
    // As OpenTelemetry reads the list: every whitespace around an expression stripped.
    const Json block = {{"env", Json::array({{{"name", "OTEL_PYTHON_EXCLUDED_URLS"},
                                              {"value", "/healthz$,\n\t/ready$\n"}}})}};
    CHECK(excluded_by("/ready", block) == "/ready$");
  }

  TEST_CASE("end to end: a traced request is counted by the collector") {
    ValidateWorld world;
    const StandInApp app(world.collector.port());
    serve_scheduler(world, app);
    const auto run = validate_json(world, {"--traffic", "/api/jobs"});
    CHECK(run.exit_code == 0);
    const Json traffic = check(run.report, "traffic");
    CHECK(traffic["status"] == "pass");
    CHECK(traffic["number"] == 7);
    CHECK(traffic["data"]["service"] == "cxtm-scheduler");
    CHECK(traffic["data"]["httpStatus"] == 200);
    CHECK(traffic["data"]["spansAccepted"] >= 1);
    CHECK(json_contains(traffic["summary"],
                        "GET /api/jobs on Service cxtm-scheduler:8080 "
                        "answered 200; the collector accepted "));
  }

  TEST_CASE("end to end: an untraced request fails at the deadline with what to look at") {
    ValidateWorld world;
    const StandInApp app(world.collector.port());
    serve_scheduler(world, app);
    const auto run = validate_json(world, {"--traffic", "/static/app.js", "--timeout", "4s"});
    CHECK(run.exit_code == 1);
    const Json traffic = check(run.report, "traffic");
    CHECK(traffic["status"] == "fail");
    CHECK(json_contains(traffic["summary"], "answered 200, but no span reached the collector"));
    CHECK(json_contains(traffic["remedy"], "check 5"));
  }

  TEST_CASE("end to end: without a Service for the pods the check fails naming the fix") {
    ValidateWorld world;
    const auto run = validate_json(world, {"--traffic", "/api/jobs"});
    CHECK(run.exit_code == 1);
    const Json traffic = check(run.report, "traffic");
    CHECK(traffic["status"] == "fail");
    CHECK(json_contains(traffic["summary"], "no Service in namespace default selects"));
  }

  TEST_CASE("check 1 asks for what --traffic needs, and only with it") {
    ValidateWorld world;
    world.kube.deny("list", "services");
    const auto run = validate_json(world, {"--traffic", "/api/jobs"});
    CHECK(run.exit_code == 1);
    const Json access = check(run.report, "access");
    CHECK(access["status"] == "fail");
    CHECK(cxtm::testing::any_detail(access, "list services in default"));
    CHECK(validate_json(world).exit_code == 0);  // without --traffic nothing asks for it
  }

  TEST_CASE("a bad --traffic is refused with exit 2 before any cluster call") {
    ValidateWorld world;
    const size_t before = world.kube.requests().size();
    const auto result = world.validate({"--traffic", "api/jobs"});
    CHECK(result.exit_code == 2);
    CHECK(contains(result.err, "--traffic api/jobs: give a path"));
    CHECK(world.kube.requests().size() == before);
  }
}

}  // namespace test_validate_traffic
