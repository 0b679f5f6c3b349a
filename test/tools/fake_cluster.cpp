// cxtm-fake-cluster DIR [DEPLOYMENT.json...]: serves the Kubernetes API server double on
// 127.0.0.1 until interrupted, for trying cxtm-o11y (and kubectl) without a cluster. Writes
// DIR/kubeconfig and seeds each Deployment given (default: the CXTM POC's scheduler and
// notifications, as the POC left them). Pods become ready at once; the collector Service's
// ports lead to a collector double that accepts spans; installers and collectors log success.
// Also serves the Splunk API double (dashboards, detectors, traces) and writes DIR/splunk.env
// with the variables that point cxtm-o11y at it. A test tool: no TLS, no real tokens.

#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "core/atomic_file.h"
#include "core/json.h"
#include "fixtures/fake_collector.h"
#include "fixtures/fake_kube_api_server.h"
#include "fixtures/fake_splunk_api.h"
#include "fixtures/kube_referenced_objects.h"
#include "support/installer_log.h"

namespace {

volatile std::sig_atomic_t stop_requested = 0;
extern "C" void request_stop(int) {
  stop_requested = 1;
}

std::vector<std::string> default_deployments() {
  const std::string corpus = CXTM_SOURCE_DIR "/test/testdata/deployments/";
  return {corpus + "cxtm-scheduler-poc.json", corpus + "cxtm-notifications-poc.json"};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]).starts_with("-")) {
    std::cerr << "usage: cxtm-fake-cluster DIR [DEPLOYMENT.json...]\n";
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::vector<std::string> files(argv + 2, argv + argc);
  if (files.empty()) files = default_deployments();

  try {
    std::filesystem::create_directories(dir);
    cxtm::testing::FakeKubeApiServer server;
    cxtm::testing::FakeCollector collector;
    // The example config's collector: Service default/otel-collector, health 13133, OTLP/HTTP
    // 4318, its own metrics on 8888 of each pod.
    for (int port : {13133, 4318})
      server.map_service_proxy("default", "otel-collector", port, collector.port());
    server.map_pod_proxy("default", "otel-collector", 8888, collector.port());
    server.set_log("default", "*", "otel-collector",
                   "2026-01-01T10:00:00.000Z\tinfo\tservice@v0.147.0/service.go:199\tEverything is "
                   "ready. Begin running and processing data.\n");
    server.set_log("default", "*", "otel-auto-instrumentation",
                   std::string(cxtm::testing::kInstallerLog));
    for (const auto& file : files) {
      const auto deployment = cxtm::Json::parse(cxtm::read_file(file));
      cxtm::testing::seed_referenced_objects(server, deployment);
      const auto stored = server.put_object(deployment);
      fmt::print("deployment.apps/{} seeded from {}\n",
                 stored["metadata"]["name"].get<std::string>(), file);
    }
    const auto kubeconfig = server.write_kubeconfig(dir);
    // A token that only this double accepts.
    const std::string splunk_token = "fake-splunk-api-token";
    cxtm::testing::FakeSplunkApi splunk(splunk_token);
    // Its ingest API takes the README's ingest token, "fake": the change events land here.
    splunk.accept_ingest_token("fake");
    const auto splunk_env = dir / "splunk.env";
    cxtm::write_file_atomic(splunk_env, fmt::format("export CXTM_O11Y_SPLUNK_API_URL={0}\n"
                                                    "export CXTM_O11Y_SPLUNK_INGEST_URL={0}\n"
                                                    "export SPLUNK_API_TOKEN={1}\n",
                                                    splunk.url(), splunk_token));
    fmt::print("API server at {}; use --kubeconfig {} (Ctrl-C stops it)\n", server.url(),
               kubeconfig.string());
    fmt::print("Splunk API double at {}; source {} to use it\n", splunk.url(), splunk_env.string());
    std::fflush(stdout);

    std::signal(SIGINT, request_stop);
    std::signal(SIGTERM, request_stop);
    while (!stop_requested) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  } catch (const std::exception& error) {
    std::cerr << "cxtm-fake-cluster: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
