#include "actions/validate.h"

#include <fmt/core.h>

#include <algorithm>
#include <cstdlib>

#include "actions/services.h"
#include "core/error.h"
#include "core/redact.h"
#include "core/secret_env.h"
#include "net/url.h"
#include "splunk/trace_api.h"
#include "validate/access.h"
#include "validate/collector.h"
#include "validate/exporter.h"
#include "validate/health.h"
#include "validate/otlp_payload.h"
#include "validate/service.h"
#include "validate/splunk.h"
#include "validate/test_span.h"
#include "validate/traffic.h"

namespace cxtm::actions {
namespace {

using validate::CheckResult;

CheckResult header(std::string id, int number, std::string title, std::string service = "") {
  return CheckResult{.id = std::move(id),
                     .number = number,
                     .title = std::move(title),
                     .service = std::move(service)};
}

// One run: the state the checks hand on to each other.
class Run {
 public:
  Run(Context& context, ValidateEdges edges, const ValidateOptions& options)
      : context_(context),
        edges_(edges),
        options_(options),
        runner_(report_, context.time, [this](const CheckResult& check) {
          context_.reporter.progress(
              fmt::format("validate: check {} ({})", check.number, check.label()));
        }) {
    const auto& config = context.config;
    report_.cluster = config.cluster;
    report_.collector =
        kube::ObjectRef{"apps/v1", "DaemonSet", config.collector.namespace_, config.collector.name}
            .namespaced_name();
    std::vector<std::string> names;
    for (const auto* service : options.services) {
      report_.services.push_back(service->name);
      names.push_back(service->otel_service_name);
    }
    trace_ = validate::TestTrace::fresh(names, config.environment, config.cluster, CXTM_VERSION);
  }

  validate::Report run() {
    const auto start = context_.time.now();
    if (options_.scope == ValidateScope::full) {
      access();
      collector();
      health();
      test_span({"health"});
      services();
      exporter();
      traffic();
      splunk();
    } else {
      test_span({});
      services();
    }
    report_.duration = std::chrono::duration_cast<Duration>(context_.time.now() - start);
    // Ends a progress line rewritten in place, before the report goes to stdout.
    context_.reporter.note("validate: done");
    return std::move(report_);
  }

 private:
  void access() {
    const auto needs = validate::access_needs(context_.config, !options_.traffic.empty());
    runner_.run(header("access", 1, "Cluster access"), {},
                [&](CheckResult& result) { validate::check_access(context_.kube, needs, result); });
  }

  void collector() {
    runner_.run(header("collector", 2, "Collector DaemonSet and config"), {"access"},
                [&](CheckResult& result) {
                  facts_ = validate::check_collector(context_.kube, context_.config, result);
                });
  }

  // The proxy's URL, started once; an Error fails the check that first needs it.
  const std::string& proxy() {
    if (proxy_url_.empty()) proxy_url_ = edges_.proxy_url();
    return proxy_url_;
  }

  void health() {
    runner_.run(header("health", 3, "Collector health"), {"collector"}, [&](CheckResult& result) {
      validate::check_health(edges_.http, proxy(), context_.config, options_.request_timeout,
                             result);
    });
  }

  void test_span(std::initializer_list<std::string_view> depends_on) {
    // The waits start with the test span: --timeout bounds them, not the kubectl reads before.
    deadline_ = context_.time.now() + options_.timeout;
    runner_.run(
        header("test-span", 4, "Test span to the collector"), depends_on, [&](CheckResult& result) {
          const std::string& url = proxy();
          if (options_.scope == ValidateScope::full) {
            // Before the span: check 6 compares the counters with these.
            baseline_ = validate::read_span_counters(edges_.http, url, context_.config, facts_.pods,
                                                     validate::traces_exporters(facts_.relay_yaml),
                                                     options_.request_timeout);
          }
          report_.trace_id = trace_.trace_id;
          validate::check_test_span(edges_.http, url, context_.config, trace_,
                                    {.deadline = deadline_,
                                     .request_timeout = options_.request_timeout,
                                     .time = &context_.time,
                                     .interrupted = options_.interrupted},
                                    result);
        });
  }

  void services() {
    read_in_bulk(context_.config, context_.kube, options_.services, BulkRead::deployments_and_pods);
    for (const auto* service : options_.services) {
      const auto ref = workload_ref(context_.config, *service);
      // Independent of the collector: a service can be checked with the collector down.
      runner_.run(
          header("service", 5, "Service " + service->name, service->name),
          options_.scope == ValidateScope::full ? std::initializer_list<std::string_view>{"access"}
                                                : std::initializer_list<std::string_view>{},
          [&](CheckResult& result) {
            // The injector the workload was instrumented with (read in bulk above).
            const auto workload = context_.kube.get(ref);
            const auto spec =
                workload ? spec_for_workload(context_.config, *service, *workload, std::nullopt)
                         : spec_for(context_.config, *service);
            validate::check_service(context_.kube, ref, spec, service->name, collector_nodes(),
                                    result);
          });
    }
  }

  // Where a ready collector pod runs, read once for every service; unknown when unreadable
  // (check 2 then says why).
  const std::optional<std::set<std::string>>& collector_nodes() {
    if (!collector_nodes_read_) {
      collector_nodes_read_ = true;
      try {
        collector_nodes_ = validate::ready_collector_nodes(context_.kube, context_.config);
      } catch (const Error&) {
        collector_nodes_.reset();
      }
    }
    return collector_nodes_;
  }

  // How checks 6 and 7 look at the collector's counters again and again, until `until`.
  validate::ExporterWait counter_wait(Clock::time_point until) const {
    return {.deadline = until,
            .poll_interval = options_.poll_interval,
            .request_timeout = options_.request_timeout,
            .time = &context_.time,
            .interrupted = options_.interrupted};
  }

  void exporter() {
    const auto wait_until = std::min(deadline_, context_.time.now() + options_.exporter_wait);
    runner_.run(header("exporter", 6, "Collector exporter"), {"test-span"},
                [&](CheckResult& result) {
                  validate::check_exporter(edges_.http, context_.kube, proxy(), context_.config,
                                           facts_, baseline_, trace_.span_count(),
                                           counter_wait(wait_until), result);
                });
  }

  // One request per service, its spans counted by the collector (validate/traffic.h).
  void traffic() {
    if (options_.traffic.empty()) {
      runner_.skip(header("traffic", 7, "Traffic to the services"),
                   "not requested (--traffic PATH)");
      return;
    }
    for (const auto* service : options_.services) {
      auto check = header("traffic", 7, "Traffic to " + service->name, service->name);
      const auto ref = workload_ref(context_.config, *service);
      const auto spec = spec_for(context_.config, *service);
      runner_.run(check, {"test-span"}, [&](CheckResult& result) {
        validate::check_traffic(edges_.http, context_.kube, proxy(), context_.config, facts_, ref,
                                spec, options_.traffic, counter_wait(deadline_), result);
      });
    }
  }

  void splunk() {
    const auto check = header("splunk", 8, "Trace and services in Splunk APM");
    if (!options_.splunk) {
      runner_.skip(check, "not requested (--splunk, with an API token in SPLUNK_API_TOKEN)");
      return;
    }
    runner_.run(check, {"test-span"}, [&](CheckResult& result) {
      splunk::TraceApi api(edges_.http, options_.splunk_api_url, options_.splunk_api_token,
                           context_.time);
      std::vector<std::string> names;
      for (const auto* service : options_.services) names.push_back(service->otel_service_name);
      validate::check_splunk(api, trace_, names,
                             {.deadline = deadline_,
                              .poll = {.initial_interval = options_.poll_interval * 2,
                                       .interrupted = options_.interrupted},
                              .environment = context_.config.environment,
                              .realm = context_.config.splunk.realm},
                             result);
    });
  }

  Context& context_;
  ValidateEdges edges_;
  const ValidateOptions& options_;
  Clock::time_point deadline_;
  validate::Report report_;
  validate::CheckRunner runner_;
  validate::TestTrace trace_;
  validate::CollectorFacts facts_;
  validate::MetricsRead baseline_;
  std::string proxy_url_;
  bool collector_nodes_read_ = false;
  std::optional<std::set<std::string>> collector_nodes_;
};

}  // namespace

validate::Report run_validate(Context& context, ValidateEdges edges,
                              const ValidateOptions& options) {
  return Run(context, edges, options).run();
}

std::string splunk_api_url(const config::Config& config) {
  const char* override_url = std::getenv(std::string(splunk::kSplunkApiUrlVariable).c_str());
  std::string url =
      override_url != nullptr && *override_url != '\0' ? override_url : config.endpoints().api;
  while (url.ends_with('/')) url.pop_back();
  net::require_safe_for_tokens(url, override_url != nullptr && *override_url != '\0'
                                        ? std::string(splunk::kSplunkApiUrlVariable)
                                        : "the Splunk API URL of realm " + config.splunk.realm);
  return url;
}

std::string splunk_api_token(std::string_view needed_by) {
  const std::string variable(splunk::kSplunkApiTokenVariable);
  const auto token = take_secret_env(variable);
  if (!token) {
    throw Error(ExitCode::usage,
                fmt::format("{} needs a Splunk Observability Cloud API token in ${} (an org "
                            "access token with the API scope, or a session token; not the "
                            "ingest token)",
                            needed_by, variable));
  }
  return *token;
}

std::vector<const config::ServiceSettings*> just_instrumented(
    const std::vector<const config::ServiceSettings*>& selected,
    const std::vector<ServiceResult>& results) {
  std::vector<const config::ServiceSettings*> written;
  for (size_t i = 0; i < selected.size() && i < results.size(); ++i) {
    if (results[i].outcome == ServiceOutcome::instrumented ||
        results[i].outcome == ServiceOutcome::upgraded) {
      written.push_back(selected[i]);
    }
  }
  return written;
}

}  // namespace cxtm::actions
