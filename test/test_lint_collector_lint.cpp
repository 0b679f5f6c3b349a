#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "lint/collector_lint.h"

namespace test_lint_collector_lint {

using cxtm::lint::Finding;
using cxtm::lint::LintOptions;
using cxtm::lint::Severity;

namespace {

std::string read_testdata(const std::string& name) {
  std::ifstream in(CXTM_SOURCE_DIR "/test/testdata/lint/" + name);
  REQUIRE_MESSAGE(in.good(), "missing test data " << name);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

std::vector<Finding> lint(const std::string& text, std::optional<std::string> realm = "us1",
                          const std::string& file = "relay.yaml") {
  return cxtm::lint::lint_collector_config(text, file, LintOptions{.realm = std::move(realm)});
}

std::vector<Finding> with_rule(const std::vector<Finding>& findings, std::string_view rule) {
  std::vector<Finding> matching;
  std::copy_if(findings.begin(), findings.end(), std::back_inserter(matching),
               [&](const Finding& f) { return f.rule_id == rule; });
  return matching;
}

std::vector<std::string> rules_of(const std::vector<Finding>& findings) {
  std::vector<std::string> rules;
  for (const Finding& finding : findings) rules.push_back(finding.rule_id);
  return rules;
}

std::vector<int> lines_of(const std::vector<Finding>& findings) {
  std::vector<int> lines;
  for (const Finding& finding : findings) lines.push_back(finding.line);
  return lines;
}

// Every finding, one per line, so a failing CHECK shows what the linter said.
std::string dump(const std::vector<Finding>& findings) {
  std::string out;
  for (const Finding& finding : findings) out += cxtm::lint::format_finding(finding) + "\n";
  return out;
}

// 1-based line and column where the occurrence-th `needle` starts in text.
struct Spot {
  int line = 0;
  int column = 0;
};
Spot find_spot(const std::string& text, std::string_view needle, int occurrence = 1) {
  size_t at = std::string::npos;
  for (int i = 0; i < occurrence; ++i) {
    at = text.find(needle, at == std::string::npos ? 0 : at + 1);
    REQUIRE_MESSAGE(at != std::string::npos, "test data lacks '" << needle << "'");
  }
  const size_t line_start = text.rfind('\n', at);  // npos on the first line
  const size_t column = line_start == std::string::npos ? at : at - line_start - 1;
  return {
      static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n')) + 1,
      static_cast<int>(column) + 1};
}
int line_of(const std::string& text, std::string_view needle, int occurrence = 1) {
  return find_spot(text, needle, occurrence).line;
}

}  // namespace

TEST_SUITE("lint/collector_lint") {
  TEST_CASE("the POC's crash-looping config: check_interval, sapm and two inline tokens") {
    const std::string text = read_testdata("poc-crashloop.yaml");
    for (const auto& realm : {std::optional<std::string>("us1"), std::optional<std::string>()}) {
      const auto findings = lint(text, realm);
      INFO(dump(findings));
      REQUIRE(rules_of(findings) == std::vector<std::string>{"memory-limiter-check-interval",
                                                             "sapm-removed", "inline-token",
                                                             "inline-token"});
      CHECK(lines_of(findings) ==
            std::vector<int>{line_of(text, "  memory_limiter:"), line_of(text, "  sapm:"),
                             line_of(text, "access_token:", 1), line_of(text, "access_token:", 2)});
      for (const Finding& finding : findings) {
        CHECK(finding.severity == Severity::error);
        CHECK(finding.file == "relay.yaml");
      }
      const std::string& check_interval = findings[0].message;
      CHECK(check_interval.find("checkInterval must be greater than zero") != std::string::npos);
      CHECK(check_interval.find("crash-loop") != std::string::npos);
      const std::string& sapm = findings[1].message;
      CHECK(sapm.find("unknown type: \"sapm\"") != std::string::npos);
      // The replacement is spelled out for the realm the sapm exporter sent to.
      CHECK(sapm.find("otlphttp") != std::string::npos);
      CHECK(sapm.find("https://ingest.us1.signalfx.com/v2/trace/otlp") != std::string::npos);
    }
  }

  TEST_CASE("a token never appears in a finding, as text or as JSON") {
    for (const char* file :
         {"poc-crashloop.yaml", "poc-configmap.yaml", "inline-tokens.yaml", "endpoints.yaml"}) {
      const auto findings = lint(read_testdata(file));
      CAPTURE(file);
      REQUIRE_FALSE(findings.empty());
      for (const Finding& finding : findings) {
        CHECK(cxtm::lint::format_finding(finding).find("FAKE") == std::string::npos);
        CHECK(cxtm::lint::to_json(finding).dump().find("FAKE") == std::string::npos);
      }
    }
  }

  TEST_CASE("in a ConfigMap, lines and columns point into the relay.yaml block") {
    const std::string text = read_testdata("poc-configmap.yaml");
    const auto findings = lint(text, "us1", "rendered.yaml");
    INFO(dump(findings));
    REQUIRE(rules_of(findings) == std::vector<std::string>{"memory-limiter-check-interval",
                                                           "sapm-removed", "inline-token",
                                                           "inline-token"});
    const Spot limiter = find_spot(text, "memory_limiter:");
    const Spot sapm = find_spot(text, "sapm:");
    const Spot first_token = find_spot(text, "FAKEsapm");
    const Spot second_token = find_spot(text, "FAKEsfx");
    CHECK(findings[0].line == limiter.line);
    CHECK(findings[0].column == limiter.column);
    CHECK(findings[1].line == sapm.line);
    CHECK(findings[2].line == first_token.line);
    CHECK(findings[2].column == first_token.column);
    CHECK(findings[3].line == second_token.line);
    CHECK(findings[0].file == "rendered.yaml");
    // The same config, raw, reports the same rules shifted by where the block starts.
    const auto raw = lint(read_testdata("poc-crashloop.yaml"));
    REQUIRE(raw.size() == findings.size());
    const std::string raw_text = read_testdata("poc-crashloop.yaml");
    const int shift = limiter.line - line_of(raw_text, "  memory_limiter:");
    for (size_t i = 0; i < raw.size(); ++i) CHECK(findings[i].line - raw[i].line == shift);
  }

  TEST_CASE("every ConfigMap in a stream or List is linted in its own place") {
    const std::string text =
        "apiVersion: v1\n"
        "kind: List\n"
        "items:\n"
        "  - apiVersion: v1\n"
        "    kind: ConfigMap\n"
        "    metadata: {name: agent}\n"
        "    data:\n"
        "      relay.yaml: |-\n"
        "        receivers: {otlp: }\n"
        "        processors:\n"
        "          memory_limiter: {check_interval: 2s, limit_mib: 400}\n"
        "          batch:\n"
        "        exporters: {debug: }\n"
        "        service:\n"
        "          pipelines:\n"
        "            traces: {receivers: [otlp], processors: [memory_limiter, batch], "
        "exporters: [debug]}\n"
        "---\n"
        "apiVersion: v1\n"
        "kind: ConfigMap\n"
        "metadata: {name: gateway}\n"
        "data:\n"
        "  relay.yaml: |2\n"
        "      receivers: {otlp: }\n"
        "      processors:\n"
        "        memory_limiter: {check_interval: 2s, limit_mib: 400}\n"
        "        batch:\n"
        "      exporters:\n"
        "        logging:\n"
        "      service:\n"
        "        pipelines:\n"
        "          traces: {receivers: [otlp], processors: [memory_limiter, batch], "
        "exporters: [logging]}\n";
    const auto findings = lint(text);
    INFO(dump(findings));
    REQUIRE(rules_of(findings) == std::vector<std::string>{"logging-removed"});
    CHECK(findings[0].line == line_of(text, "logging:"));
    // `|2` indents the block two columns past its parent mapping (which sits at column 3).
    CHECK(findings[0].column == find_spot(text, "logging:").column);
  }

  TEST_CASE("a clean agent config has no findings, sent to another realm it is an error") {
    const std::string text = read_testdata("good-agent.yaml");
    CHECK_MESSAGE(lint(text, "us1").empty(), dump(lint(text, "us1")));
    CHECK_MESSAGE(lint(text, std::nullopt).empty(), dump(lint(text, std::nullopt)));

    const auto findings = lint(text, "eu0");
    INFO(dump(findings));
    REQUIRE(rules_of(findings) == std::vector<std::string>(3, "endpoint-realm-mismatch"));
    CHECK(lines_of(findings) == std::vector<int>{line_of(text, "traces_endpoint:"),
                                                 line_of(text, "api_url:"),
                                                 line_of(text, "ingest_url:")});
    for (const Finding& finding : findings) {
      CHECK(finding.severity == Severity::error);
      CHECK(finding.message.find("realm us1") != std::string::npos);
      CHECK(finding.message.find("realm is eu0") != std::string::npos);
    }
    CHECK(findings[0].message.find("https://ingest.eu0.signalfx.com") != std::string::npos);
    CHECK(findings[1].message.find("https://api.eu0.signalfx.com") != std::string::npos);
  }

  TEST_CASE("memory_limiter needs a check interval and a limit, named instances too") {
    const std::string text = read_testdata("memory-limiter-settings.yaml");
    const auto findings = lint(text);
    INFO(dump(findings));
    const auto intervals = with_rule(findings, "memory-limiter-check-interval");
    CHECK(lines_of(intervals) == std::vector<int>{line_of(text, "check_interval: 0s"),
                                                  line_of(text, "memory_limiter/null:")});
    const auto limits = with_rule(findings, "memory-limiter-limit");
    CHECK(lines_of(limits) == std::vector<int>{line_of(text, "memory_limiter/no-limit:"),
                                               line_of(text, "limit_mib: 0"),
                                               line_of(text, "spike_limit_mib: 100"),
                                               line_of(text, "memory_limiter/null:")});
    const auto deprecated = with_rule(findings, "deprecated-component");
    REQUIRE(deprecated.size() == 1);
    CHECK(deprecated[0].line == line_of(text, "ballast_size_mib"));
    CHECK(deprecated[0].severity == Severity::warning);
    CHECK(deprecated[0].message.find("GOMEMLIMIT") != std::string::npos);
    // Values from the environment are the running collector's business.
    const int from_env = line_of(text, "memory_limiter/from-env:");
    for (const Finding& finding : findings) {
      CHECK((finding.line < from_env || finding.line > from_env + 2));
    }
    CHECK(findings.size() == intervals.size() + limits.size() + deprecated.size());
  }

  TEST_CASE("memory_limiter comes first, and pipelines from receivers need it and batch") {
    const std::string text = read_testdata("pipeline-order.yaml");
    const auto findings = lint(text);
    INFO(dump(findings));
    const auto first = with_rule(findings, "memory-limiter-first");
    REQUIRE(first.size() == 1);
    CHECK(first[0].line == line_of(text, "processors: [batch, memory_limiter]"));
    CHECK(first[0].column == find_spot(text, "memory_limiter]").column);
    CHECK(first[0].severity == Severity::error);
    // metrics/forwarded reads from a connector: its data was limited upstream.
    const auto missing = with_rule(findings, "memory-limiter-missing");
    REQUIRE(missing.size() == 1);
    CHECK(missing[0].line == line_of(text, "    metrics:"));
    CHECK(missing[0].severity == Severity::warning);
    const auto batch = with_rule(findings, "missing-batch");
    REQUIRE(batch.size() == 1);
    CHECK(batch[0].line == line_of(text, "    metrics:"));
    CHECK(batch[0].severity == Severity::warning);
    CHECK(findings.size() == 3);
  }

  TEST_CASE("pipelines may only name defined components, and defined ones should be used") {
    const std::string text = read_testdata("undefined-unused.yaml");
    const auto findings = lint(text);
    INFO(dump(findings));
    const auto undefined = with_rule(findings, "undefined-component");
    CHECK(lines_of(undefined) ==
          std::vector<int>{line_of(text, "pprof"), line_of(text, "otlp/missing"),
                           line_of(text, "attributes/missing"), line_of(text, "debug/missing")});
    for (const Finding& finding : undefined) CHECK(finding.severity == Severity::error);
    CHECK(undefined[2].message.find("processor 'attributes/missing'") != std::string::npos);
    const auto unused = with_rule(findings, "unused-component");
    CHECK(lines_of(unused) == std::vector<int>{line_of(text, "zipkin:"),
                                               line_of(text, "otlp/unused:"),
                                               line_of(text, "zpages:")});
    for (const Finding& finding : unused) CHECK(finding.severity == Severity::warning);
    CHECK(unused[2].message.find("service.extensions") != std::string::npos);
    CHECK(findings.size() == undefined.size() + unused.size());
  }

  TEST_CASE("removed components are errors, tolerated ones warnings") {
    const std::string text = read_testdata("removed-components.yaml");
    const auto findings = lint(text);
    INFO(dump(findings));
    REQUIRE(rules_of(findings) ==
            std::vector<std::string>{"opencensus-removed", "deprecated-component",
                                     "logging-removed", "jaeger-removed", "deprecated-component"});
    CHECK(lines_of(findings) ==
          std::vector<int>{line_of(text, "  opencensus:"), line_of(text, "k8s_tagger:"),
                           line_of(text, "logging:"), line_of(text, "jaeger:"),
                           line_of(text, "memory_ballast:")});
    CHECK(findings[0].severity == Severity::error);
    CHECK(findings[1].severity == Severity::warning);
    CHECK(findings[2].severity == Severity::error);
    CHECK(findings[2].message.find("debug") != std::string::npos);
    CHECK(findings[3].severity == Severity::error);
    CHECK(findings[4].severity == Severity::warning);
    CHECK(findings[4].message.find("GOMEMLIMIT") != std::string::npos);
  }

  TEST_CASE("with a realm, exporters send to that realm or stay in the cluster") {
    const std::string text = read_testdata("endpoints.yaml");
    const auto findings = lint(text, "us1");
    INFO(dump(findings));
    REQUIRE(rules_of(findings) == std::vector<std::string>(6, "endpoint-realm-mismatch"));
    CHECK(lines_of(findings) ==
          std::vector<int>{line_of(text, "ingest.eu0"), line_of(text, "api.eu0"),
                           line_of(text, "realm: xx9"), line_of(text, "ingest.zz9"),
                           line_of(text, "collector.example.com"),
                           line_of(text, "telemetry.example.org")});
    const std::vector<Severity> severities = {Severity::error,   Severity::error,
                                              Severity::error,   Severity::error,
                                              Severity::warning, Severity::warning};
    for (size_t i = 0; i < findings.size(); ++i) CHECK(findings[i].severity == severities[i]);
    CHECK(findings[1].message.find("https://api.us1.observability.splunkcloud.com") !=
          std::string::npos);
    CHECK(findings[2].message.find("not a Splunk Observability Cloud realm") != std::string::npos);
    CHECK(findings[3].message.find("'zz9'") != std::string::npos);
    CHECK(findings[5].message.find("telemetry.example.org") != std::string::npos);

    // Without a realm there is nothing to compare against.
    CHECK(with_rule(lint(text, std::nullopt), "endpoint-realm-mismatch").empty());
  }

  TEST_CASE("tokens must come from the environment") {
    const std::string text = read_testdata("inline-tokens.yaml");
    const auto findings = lint(text);
    INFO(dump(findings));
    REQUIRE(rules_of(findings) == std::vector<std::string>(4, "inline-token"));
    CHECK(lines_of(findings) ==
          std::vector<int>{line_of(text, "X-SF-Token:"), line_of(text, "Authorization:"),
                           line_of(text, "token: FAKEhec"), line_of(text, "token: FAKEext")});
    CHECK(findings[0].message.find("exporters.otlphttp.headers.X-SF-Token") != std::string::npos);
    CHECK(findings[0].message.find("${env:") != std::string::npos);
  }

  TEST_CASE("YAML that does not parse is one finding at the parser's line") {
    const auto findings = lint("receivers:\n  otlp:\nservice: [pipelines\nexporters: {}\n");
    INFO(dump(findings));
    REQUIRE(rules_of(findings) == std::vector<std::string>{"yaml-syntax"});
    CHECK(findings[0].line == 4);
    CHECK(findings[0].severity == Severity::error);
    // In the words a config file's error uses (`<file>:<line>:<column>: invalid YAML: ...`).
    CHECK(findings[0].message.starts_with("invalid YAML: "));

    // Inside a ConfigMap the parser's line is mapped into the file too.
    const std::string stream =
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  relay.yaml: |\n"
        "    service:\n      pipelines:\n        traces: [a\n    exporters: {}\n";
    const auto inner = lint(stream);
    INFO(dump(inner));
    REQUIRE(rules_of(inner) == std::vector<std::string>{"yaml-syntax"});
    CHECK(inner[0].line == 9);
  }

  TEST_CASE("a stream or file without a collector config is a finding") {
    const char* texts[] = {
        "",
        "# only a comment\n",
        "- a list\n- of things\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\n",
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  app.yaml: |\n"
         "    key: value\n"),
    };
    for (const char* text : texts) {
      const auto findings = lint(text);
      CAPTURE(text);
      REQUIRE(rules_of(findings) == std::vector<std::string>{"no-collector-config"});
      CHECK(findings[0].line == 1);
      CHECK(findings[0].severity == Severity::error);
    }
  }

  TEST_CASE("a config without service pipelines cannot start") {
    CHECK(rules_of(lint("receivers: {otlp: }\nexporters: {debug: }\n")) ==
          std::vector<std::string>{"no-service", "unused-component", "unused-component"});
    CHECK(rules_of(lint("receivers: {otlp: }\nservice:\n  extensions: []\n")) ==
          std::vector<std::string>{"unused-component", "no-pipelines"});
    CHECK(rules_of(lint("service:\n  pipelines: {}\n")) ==
          std::vector<std::string>{"no-pipelines"});
    const auto findings = lint("receivers: {otlp: }\nservice:\n");
    REQUIRE(with_rule(findings, "no-service").size() == 1);
    CHECK(with_rule(findings, "no-service")[0].severity == Severity::error);
  }

  TEST_CASE("a key defined twice is an error at the second one") {
    const std::string text =
        "receivers: {otlp: }\n"
        "processors:\n"
        "  memory_limiter: {check_interval: 2s, limit_mib: 400}\n"
        "  batch:\n"
        "  batch:\n"
        "exporters: {debug: }\n"
        "service:\n"
        "  pipelines:\n"
        "    traces: {receivers: [otlp], processors: [memory_limiter, batch], exporters: "
        "[debug]}\n";
    const auto findings = lint(text);
    INFO(dump(findings));
    REQUIRE(rules_of(findings) == std::vector<std::string>{"duplicate-key"});
    CHECK(findings[0].line == 5);
    CHECK(findings[0].message.find("line 4") != std::string::npos);
  }

  TEST_CASE("odd shapes are findings, never crashes") {
    struct Case {
      const char* text;
      const char* rule;
    };
    const Case cases[] = {
        {"receivers: [otlp]\nservice: {pipelines: {traces: {receivers: [otlp], exporters: "
         "[otlp]}}}\n",
         "config-shape"},
        {"processors: {batch: 5}\nservice: {pipelines: {}}\n", "config-shape"},
        {"service: [pipelines]\n", "config-shape"},
        {"service: {pipelines: [traces]}\n", "config-shape"},
        {"service: {pipelines: {traces: [otlp]}}\n", "config-shape"},
        {"service: {pipelines: {traces: ~}}\n", "config-shape"},
        {"receivers: {otlp: }\nexporters: {debug: }\n"
         "service: {pipelines: {traces: {receivers: otlp, exporters: [debug]}}}\n",
         "config-shape"},
        {"receivers: {otlp: }\nexporters: {debug: }\n"
         "service: {pipelines: {trace: {receivers: [otlp], exporters: [debug]}}}\n",
         "config-shape"},
        {"receivers: {otlp: }\nexporters: {debug: }\n"
         "service: {pipelines: {traces: {receivers: [otlp, otlp], exporters: [debug]}}}\n",
         "config-shape"},
        {"receivers: {otlp: }\nexporters: {debug: }\n"
         "service: {pipelines: {traces: {receivers: [[otlp]], exporters: [debug]}}}\n",
         "config-shape"},
        {"receivers: {otlp: }\n"
         "service: {pipelines: {traces: {receivers: [otlp]}}}\n",
         "config-shape"},
        {"service: {extensions: health_check, pipelines: {}}\n", "config-shape"},
        {"processors: {memory_limiter: [1, 2]}\nservice: {pipelines: {}}\n", "config-shape"},
        {"just a string\n", "no-collector-config"},
        {"? [complex, key]\n: value\nservice: {pipelines: {}}\n", "no-pipelines"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.text);
      std::vector<Finding> findings;
      REQUIRE_NOTHROW(findings = lint(c.text));
      INFO(dump(findings));
      CHECK_FALSE(with_rule(findings, c.rule).empty());
    }
  }

  TEST_CASE("components written without settings use their defaults") {
    const std::string text =
        "receivers: {otlp: }\n"
        "processors:\n"
        "  memory_limiter: {check_interval: 2s, limit_percentage: 80}\n"
        "  batch:\n"
        "exporters:\n"
        "  debug:\n"
        "service:\n"
        "  pipelines:\n"
        "    logs:\n"
        "      receivers: [otlp]\n"
        "      processors: [memory_limiter, batch]\n"
        "      exporters: [debug]\n";
    CHECK_MESSAGE(lint(text).empty(), dump(lint(text)));
  }

  TEST_CASE("findings come sorted by file, line and rule") {
    const auto findings = lint(read_testdata("memory-limiter-settings.yaml"));
    REQUIRE(findings.size() > 2);
    CHECK(std::is_sorted(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
      return std::tie(a.file, a.line, a.rule_id) < std::tie(b.file, b.line, b.rule_id);
    }));
  }

  TEST_CASE("a token variable referenced outside a token setting is an error, an escaped one not") {
    const std::string config =
        "receivers:\n  otlp:\n    protocols:\n      http: {}\n"
        "processors:\n  memory_limiter:\n    check_interval: 2s\n    limit_mib: 400\n"
        "  batch: {}\n"
        "  resource:\n    attributes:\n      - key: deployment.environment\n"
        "        value: x${env:SPLUNK_OBSERVABILITY_ACCESS_TOKEN}\n        action: upsert\n"
        "      - key: literal\n        value: x$${env:SPLUNK_OBSERVABILITY_ACCESS_TOKEN}\n"
        "        action: upsert\n      - key: node\n        value: ${env:K8S_NODE_NAME}\n"
        "        action: upsert\n"
        "exporters:\n  otlphttp:\n    traces_endpoint: "
        "https://ingest.us1.signalfx.com/v2/trace/otlp\n"
        "    headers:\n      X-SF-Token: ${env:SPLUNK_OBSERVABILITY_ACCESS_TOKEN}\n"
        "service:\n  pipelines:\n    traces:\n      receivers: [otlp]\n"
        "      processors: [memory_limiter, resource, batch]\n      exporters: [otlphttp]\n";
    const auto findings = with_rule(lint(config), "secret-reference");
    INFO(dump(lint(config)));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].severity == Severity::error);
    CHECK(findings[0].line == line_of(config, "value: x${env"));
    CHECK(findings[0].message.find(
              "${SPLUNK_OBSERVABILITY_ACCESS_TOKEN} outside a token setting") != std::string::npos);
  }
}

}  // namespace test_lint_collector_lint
