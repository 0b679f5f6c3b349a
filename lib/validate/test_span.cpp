#include "validate/test_span.h"

#include <fmt/core.h>

#include "validate/api_proxy.h"
#include "validate/health.h"

namespace cxtm::validate {
namespace {

std::string spans_word(int n) {
  return n == 1 ? "span" : "spans";
}

// What went wrong with an answer that is neither a success nor net::retryable.
void judge_failure(const net::HttpResponse& answer, const config::Config& config,
                   CheckResult& result) {
  const int port = config.collector.otlp_http_port;
  const std::string message = status_message(answer.body);
  const std::string said = message.empty() ? "" : ": " + message;
  result.status = Status::fail;
  switch (answer.status) {
    case 400:
      result.summary =
          fmt::format("the collector refused the test span as bad data (HTTP 400){}", said);
      result.remedy = fmt::format(
          "the port {} receiver does not take OTLP/JSON the way the "
          "specification defines it: check receivers.otlp.protocols.http",
          port);
      return;
    case 404:
    case 405:
      result.summary = fmt::format("no OTLP/HTTP traces endpoint at port {} (HTTP {}){}", port,
                                   answer.status, said);
      result.remedy = fmt::format(
          "enable receivers.otlp.protocols.http on 0.0.0.0:{} with the "
          "default /v1/traces path",
          port);
      return;
    case 413:
      result.summary =
          fmt::format("the collector refused the test span as too large (HTTP 413){}", said);
      result.remedy = "raise the OTLP receiver's max_request_body_size";
      return;
    case 415:
      result.summary =
          fmt::format("the collector does not accept application/json (HTTP 415){}", said);
      result.remedy = "use a collector whose OTLP/HTTP receiver accepts JSON (any current one)";
      return;
    default:
      result.summary = fmt::format("the collector answered HTTP {}{}", answer.status, said);
      result.remedy = fmt::format("see the collector's log: kubectl logs -n {} ds/{}",
                                  config.collector.namespace_, config.collector.name);
  }
}

}  // namespace

bool check_test_span(net::HttpClient& http, const std::string& proxy_url,
                     const config::Config& config, const TestTrace& trace,
                     const SendOptions& options, CheckResult& result) {
  const auto& collector = config.collector;
  const net::HttpRequest request{
      .method = "POST",
      .url = service_proxy_url(proxy_url, collector.namespace_, collector.name,
                               collector.otlp_http_port, "/v1/traces"),
      .headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}},
      .body = export_trace_request(trace).dump(),
      .timeout = options.request_timeout};
  const auto outcome = net::send_with_retries(http, request, options.retry, options.deadline,
                                              *options.time, options.interrupted);
  const net::HttpResponse& answer = outcome.last;
  result.details = outcome.notes;
  result.data = {{"traceId", trace.trace_id},
                 {"spanIds", trace.span_ids},
                 {"services", trace.services},
                 {"attempts", outcome.attempts},
                 {"httpStatus", answer.status}};
  const int spans = trace.span_count();

  if (!answer.answered()) {
    result.status = Status::fail;
    result.summary = fmt::format("no answer from the collector's OTLP/HTTP port {}: {}",
                                 collector.otlp_http_port, answer.error);
    result.remedy =
        answer.timed_out
            ? "the collector accepted the connection but never answered: it may be stuck "
              "(memory_limiter refusing, an exporter blocking the pipeline); see its log"
            : "check that the collector's Service exposes the OTLP/HTTP port";
    return false;
  }
  if (const auto refusal = api_server_refusal(answer)) {
    result.status = Status::fail;
    result.summary = fmt::format("the API server refused the service proxy (HTTP {}): {}",
                                 answer.status, *refusal);
    result.remedy = proxy_refusal_remedy(*refusal, config);
    return false;
  }
  if (answer.status >= 200 && answer.status < 300) {
    const auto parsed = parse_export_answer(answer.body);
    if (!parsed) {
      result.status = Status::fail;
      result.summary = fmt::format("HTTP {}, but the answer is not an ExportTraceServiceResponse",
                                   answer.status);
      result.remedy = "something other than an OTLP receiver answers on this port";
      return false;
    }
    result.data["rejectedSpans"] = parsed->rejected_spans;
    if (parsed->rejected_spans > 0) {
      result.status = Status::fail;
      result.summary =
          fmt::format("the collector rejected {} of {} test {}: {}", parsed->rejected_spans, spans,
                      spans_word(spans),
                      parsed->error_message.empty() ? "(no reason given)" : parsed->error_message);
      result.remedy =
          "see the collector's log for why it rejects spans (a processor dropping "
          "them, a full queue)";
      return false;
    }
    if (!parsed->error_message.empty()) {
      result.details.push_back("the collector warns: " + parsed->error_message);
    }
    result.summary = fmt::format(
        "{} test {} accepted (HTTP {}{}); trace id {}", spans, spans_word(spans), answer.status,
        outcome.attempts > 1 ? fmt::format(", after {} attempts", outcome.attempts) : "",
        trace.trace_id);
    return true;
  }
  if (outcome.gave_up) {
    result.status = Status::fail;
    result.summary =
        fmt::format("the collector still refuses after {} attempt{} (HTTP {}){}", outcome.attempts,
                    outcome.attempts == 1 ? "" : "s", answer.status,
                    status_message(answer.body).empty() ? "" : ": " + status_message(answer.body));
    result.remedy =
        answer.status == 429 || answer.status == 503
            ? "the collector is refusing data (memory_limiter over its limit, or the exporter "
              "queue full): raise collector.resources.limits.memory or check the exporter"
            : "the collector is not answering properly; see its log";
    return false;
  }
  judge_failure(answer, config, result);
  return false;
}

}  // namespace cxtm::validate
