#include <doctest/doctest.h>

#include <string>

#include "config/config.h"
#include "core/error.h"
#include "support/config_errors.h"

namespace test_config_config {

using cxtm::config::parse_config;
using cxtm::testing::config_error;
using cxtm::testing::kMinimalConfig;

TEST_SUITE("config/config") {
  TEST_CASE("the bundled example reproduces the CXTM environment") {
    const auto config = cxtm::config::load_config(CXTM_SOURCE_DIR "/examples/cxtm-poc.yaml");
    CHECK(config.cluster == "cxtm-poc");
    CHECK(config.namespace_ == "default");
    CHECK(config.environment == "cxtm-poc");
    CHECK(config.splunk.realm == "us1");
    // Splunk's current hosts (splunk.host_style: splunkcloud, the default); classic is
    // https://ingest.us1.signalfx.com, the POC's.
    CHECK(config.endpoints().ingest == "https://ingest.us1.observability.splunkcloud.com");
    CHECK(config.splunk.access_token.env == "SPLUNK_ACCESS_TOKEN");
    CHECK(config.collector.name == "otel-collector");
    CHECK(config.collector.namespace_ == "default");
    CHECK(config.collector.otlp_grpc_port == 4317);
    CHECK(config.collector.otlp_http_port == 4318);
    CHECK(config.collector.health_port == 13133);
    REQUIRE(config.services.size() == 2);
    CHECK(config.services[0].name == "scheduler");
    CHECK(config.services[0].deployment == "cxtm-scheduler");
    CHECK(config.services[0].selector == "app.kubernetes.io/name=scheduler");
    CHECK(config.find_service("notifications")->deployment == "cxtm-notifications");
    CHECK(config.find_service("billing") == nullptr);
  }

  TEST_CASE("defaults fill what the file leaves out") {
    const auto config = parse_config(kMinimalConfig + "services:\n  api:\n", "min.yaml");
    CHECK(config.environment == "c1");
    CHECK(config.collector.image == "quay.io/signalfx/splunk-otel-collector");
    CHECK_FALSE(config.collector.version.empty());
    REQUIRE(config.services.size() == 1);
    CHECK(config.services[0].deployment == "api");
    CHECK(config.services[0].selector == "app.kubernetes.io/name=api");
  }

  TEST_CASE("instrumentation settings are inherited by services and overridable per service") {
    const auto config = parse_config(
        kMinimalConfig +
            "instrumentation:\n  index_url: https://mirror.example/simple\n  extras: [requests]\n"
            "services:\n  a:\n  b:\n    otel_service_name: bee\n    instrumentation:\n"
            "      extras: [redis]\n      init_image: python:3.12-slim\n",
        "i.yaml");
    const auto& a = *config.find_service("a");
    const auto& b = *config.find_service("b");
    CHECK(a.instrumentation.index_url == "https://mirror.example/simple");
    CHECK(a.instrumentation.extras == std::vector<std::string>{"requests"});
    CHECK(a.instrumentation.limits.memory == "512Mi");
    CHECK(a.otel_service_name == "a");
    CHECK(b.instrumentation.index_url == "https://mirror.example/simple");
    CHECK(b.instrumentation.extras == std::vector<std::string>{"redis"});
    CHECK(b.instrumentation.init_image == "python:3.12-slim");
    CHECK(b.otel_service_name == "bee");
    CHECK(config.otlp_http_endpoint() == "http://otel-collector.default.svc:4318");
  }

  TEST_CASE("an unknown instrumentation to add or exclude is named") {
    CHECK(config_error(kMinimalConfig + "instrumentation:\n  extras: [flaskk]\n")
              .find("bad.yaml:5:3: instrumentation.extras: unknown instrumentation 'flaskk' "
                    "(known: flask, django, fastapi, ") == 0);
    CHECK(config_error(kMinimalConfig + "instrumentation:\n  exclude: [djangoo]\n")
              .find("bad.yaml:5:3: instrumentation.exclude: unknown instrumentation 'djangoo' "
                    "(known: flask, django, fastapi, ") == 0);
  }

  TEST_CASE("instrumentation.via and operator_image: per service over the top level's") {
    const auto config = parse_config(kMinimalConfig +
                                         "instrumentation:\n  via: operator\n"
                                         "  operator_image: registry.local/python-auto:1\n"
                                         "services:\n  a:\n  b:\n    instrumentation:\n"
                                         "      via: init-container\n",
                                     "v.yaml");
    CHECK(config.find_service("a")->instrumentation.via == "operator");
    CHECK(config.find_service("a")->instrumentation.operator_image ==
          "registry.local/python-auto:1");
    CHECK(config.find_service("b")->instrumentation.via == "init-container");
    CHECK(config_error(kMinimalConfig + "instrumentation:\n  via: webhook\n")
              .find("bad.yaml:5:3: instrumentation.via: expected 'init-container' or 'operator', "
                    "got 'webhook'") == 0);
  }

  TEST_CASE("instrumentations excluded per service") {
    const auto config = parse_config(kMinimalConfig +
                                         "instrumentation:\n  exclude: [logging]\n"
                                         "services:\n  a:\n  b:\n    instrumentation:\n"
                                         "      exclude: [requests, urllib3]\n",
                                     "e.yaml");
    CHECK(config.find_service("a")->instrumentation.exclude == std::vector<std::string>{"logging"});
    CHECK(config.find_service("b")->instrumentation.exclude ==
          std::vector<std::string>{"requests", "urllib3"});
  }

  TEST_CASE("a context's settings apply over the top level's when it is the chosen one") {
    const std::string text = kMinimalConfig +
                             "services:\n  api:\n    namespace: payments\n  web:\n"
                             "contexts:\n"
                             "  prod-east:\n    cluster: east\n    realm: eu0\n"
                             "    namespace: cxtm\n    environment: prod\n"
                             "  arn:aws:eks:us-east-1:1:cluster/x: {}\n";
    const auto plain = parse_config(text, "c.yaml");
    REQUIRE(plain.contexts.size() == 2);
    CHECK(plain.contexts[1].name == "arn:aws:eks:us-east-1:1:cluster/x");
    const auto east = parse_config(text, "c.yaml", {.context = "prod-east"});
    CHECK(east.cluster == "east");
    CHECK(east.splunk.realm == "eu0");
    CHECK(east.environment == "prod");
    CHECK(east.namespace_of(*east.find_service("web")) == "cxtm");
    CHECK(east.namespace_of(*east.find_service("api")) == "payments");
    CHECK(east.service_namespaces() == std::vector<std::string>{"payments", "cxtm"});
    // -n wins over the context's namespace.
    CHECK(
        parse_config(text, "c.yaml", {.namespace_ = "other", .context = "prod-east"}).namespace_ ==
        "other");
    CHECK(config_error(kMinimalConfig + "contexts:\n  a:\n    realm: mars\n")
              .find("contexts.a.realm: unknown realm 'mars'") != std::string::npos);
    CHECK(config_error(kMinimalConfig + "contexts:\n  a:\n    region: x\n")
              .find("contexts.a.region: unknown field") != std::string::npos);
  }

  TEST_CASE("an unknown key names file, line, field and the near miss") {
    CHECK(config_error(kMinimalConfig + "collector:\n  imgae: x\n") ==
          "bad.yaml:5:3: collector.imgae: unknown field (did you mean 'image'?)");
    CHECK(config_error("clutser: c1\n") ==
          "bad.yaml:1:1: clutser: unknown field (did you mean 'cluster'?)");
  }

  TEST_CASE("a wrong type is an error at its line") {
    CHECK(config_error(kMinimalConfig + "collector:\n  ports:\n    otlp_http: abc\n") ==
          "bad.yaml:6:5: collector.ports.otlp_http: expected a whole number from 1 to 65535, "
          "got 'abc'");
    CHECK(config_error("cluster: c1\nsplunk:\n  realm: us1\n  host_style: [a]\n") ==
          "bad.yaml:4:3: splunk.host_style: expected a string, got a list");
    CHECK(
        config_error(kMinimalConfig + "services: [a, b]\n").find("services: expected a mapping") !=
        std::string::npos);
  }

  TEST_CASE("logs to Observability Cloud are refused with the reason") {
    CHECK(
        config_error(kMinimalConfig + "  logs: true\n")
            .find("bad.yaml:4:3: splunk.logs: Splunk Observability Cloud no longer ingests logs") ==
        0);
  }

  TEST_CASE("a duplicate key is an error, not a silent choice") {
    CHECK(config_error(kMinimalConfig + "splunk:\n  logs: true\n") ==
          "bad.yaml:4:1: splunk: duplicate field");
  }

  TEST_CASE("invalid Kubernetes names are rejected with the rule") {
    CHECK(config_error(kMinimalConfig + "namespace: Default\n").find("namespace: 'Default' must") !=
          std::string::npos);
    CHECK(config_error(kMinimalConfig + "services:\n  api:\n    deployment: cxtm_api\n")
              .find("bad.yaml:6:5: services.api.deployment: 'cxtm_api'") != std::string::npos);
    CHECK(config_error(kMinimalConfig + "services:\n  Api:\n").find("service name 'Api'") !=
          std::string::npos);
    CHECK(config_error(kMinimalConfig + "services:\n  api:\n    selector: 'app=a b'\n")
              .find("services.api.selector") != std::string::npos);
  }

  TEST_CASE("an unknown realm lists the known ones") {
    const auto message = config_error("cluster: c1\nsplunk:\n  realm: us9\n");
    CHECK(message.find("bad.yaml:3:3: splunk.realm: unknown realm 'us9' (known: us0, us1") == 0);
  }

  TEST_CASE("an inline token is refused without echoing it") {
    const auto message =
        config_error(kMinimalConfig + "  access_token: fakeTokenValue1234567890abcd\n");
    CHECK(message.find("splunk.access_token: an inline token is not allowed") != std::string::npos);
    CHECK(message.find("fakeTokenValue") == std::string::npos);
  }

  TEST_CASE("missing required fields and broken YAML are named") {
    CHECK(config_error("splunk:\n  realm: us1\n") ==
          "bad.yaml: cluster: required field is missing");
    CHECK(config_error("cluster: c1\n") == "bad.yaml: splunk.realm: required field is missing");
    CHECK(config_error("cluster: [c1\n").find("bad.yaml:") == 0);
    CHECK(config_error("").find("bad.yaml: the file is empty") == 0);
    CHECK(
        config_error(kMinimalConfig + "collector:\n  resources:\n    limits:\n      memory: lots\n")
            .find("collector.resources.limits.memory: 'lots' is not a Kubernetes quantity") !=
        std::string::npos);
  }

  TEST_CASE("collector.tolerations and node_selector replace their defaults whole") {
    const auto defaults = parse_config(kMinimalConfig, "min.yaml");
    REQUIRE(defaults.collector.tolerations.size() == 2);
    CHECK(defaults.collector.tolerations[0].key == "node-role.kubernetes.io/control-plane");
    REQUIRE(defaults.collector.node_selector.size() == 1);
    CHECK(defaults.collector.node_selector[0].first == "kubernetes.io/os");

    const auto config = parse_config(kMinimalConfig +
                                         "collector:\n"
                                         "  tolerations:\n"
                                         "    - {key: dedicated, value: gpu, effect: NoSchedule}\n"
                                         "    - {operator: Exists, effect: NoExecute, "
                                         "toleration_seconds: 60}\n"
                                         "  node_selector: {pool: apps}\n",
                                     "c.yaml");
    REQUIRE(config.collector.tolerations.size() == 2);
    CHECK(config.collector.tolerations[0].operator_ == "Equal");
    CHECK(config.collector.tolerations[0].value == "gpu");
    CHECK(config.collector.tolerations[1].toleration_seconds == 60);
    REQUIRE(config.collector.node_selector.size() == 1);
    CHECK(config.collector.node_selector[0] == std::pair<std::string, std::string>{"pool", "apps"});
  }

  TEST_CASE("a toleration Kubernetes would refuse is an error at its line") {
    const std::string start = kMinimalConfig + "collector:\n  tolerations:\n";
    CHECK(config_error(start + "    - {key: a, operator: Equals}\n") ==
          "bad.yaml:6:16: collector.tolerations[0].operator: 'Equals' is not a toleration operator "
          "(Equal or Exists)");
    CHECK(config_error(start + "    - {key: a, effect: NoScheduled}\n")
              .find("collector.tolerations[0].effect: 'NoScheduled' is not a taint effect") !=
          std::string::npos);
    CHECK(config_error(start + "    - {operator: Exists, value: x}\n")
              .find("collector.tolerations[0].value: must be empty when the operator is Exists") !=
          std::string::npos);
    CHECK(config_error(start + "    - {value: x}\n")
              .find("collector.tolerations[0].key: must be set when the operator is Equal") !=
          std::string::npos);
    CHECK(config_error(start + "    - {key: a, effect: NoSchedule, toleration_seconds: 5}\n")
              .find("toleration_seconds: applies to the NoExecute effect only") !=
          std::string::npos);
    CHECK(config_error(kMinimalConfig + "collector:\n  node_selector: {\"bad key!\": x}\n")
              .find("collector.node_selector.bad key!: 'bad key!: x' is not a node label") !=
          std::string::npos);
  }

  TEST_CASE("a token variable that looks like another product's secret is warned about") {
    const auto with_env = [](const std::string& variable) {
      return parse_config(
          "cluster: c\nsplunk:\n  realm: us1\n  access_token:\n    env: " + variable + "\n",
          "token.yaml");
    };
    const auto aws = with_env("AWS_SECRET_ACCESS_KEY");
    REQUIRE(aws.warnings.size() == 1);
    CHECK(aws.warnings[0] ==
          "token.yaml: splunk.access_token.env names AWS_SECRET_ACCESS_KEY, which looks like "
          "another product's secret, not a Splunk access token: the tool would send it to Splunk "
          "and store it in the cluster's token Secret");
    CHECK(with_env("GITHUB_TOKEN").warnings.size() == 1);
    CHECK(with_env("SPLUNK_ACCESS_TOKEN").warnings.empty());
    CHECK(with_env("CXTM_PROD_SPLUNK_TOKEN").warnings.empty());
    CHECK(with_env("O11Y_INGEST_TOKEN").warnings.empty());
  }

  TEST_CASE("backup.cluster_copy: on by default, off when asked, nothing else accepted") {
    CHECK(parse_config(kMinimalConfig, "min.yaml").backup_cluster_copy);
    CHECK_FALSE(parse_config(kMinimalConfig + "backup:\n  cluster_copy: false\n", "b.yaml")
                    .backup_cluster_copy);
    CHECK(cxtm::testing::config_error(kMinimalConfig + "backup:\n  cluster_copy: maybe\n")
              .find("backup.cluster_copy") != std::string::npos);
    CHECK(cxtm::testing::config_error(kMinimalConfig + "backup:\n  in_cluster: false\n")
              .find("in_cluster") != std::string::npos);
  }
}

}  // namespace test_config_config
