#pragma once
// A cluster in which `validate` has everything to look at, all on 127.0.0.1: the Kubernetes API
// server double with the collector's objects (rendered from the config) and an instrumented
// service `scheduler` (Deployment cxtm-scheduler), a FakeCollector behind the collector
// Service's and pods' ports, and a FakeSplunkApi that "ingests" every trace the collector
// accepts. Tests break one part and run the built cxtm-o11y against it.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "config/config.h"
#include "fixtures/fake_collector.h"
#include "fixtures/fake_kube_api_server.h"
#include "fixtures/fake_splunk_api.h"
#include "kube/process.h"
#include "support/temp_dir.h"

namespace cxtm::testing {

// The API token the Splunk double accepts.
inline constexpr const char* kFakeApiToken = "fake-api-token-0123456789abcdef";
// The ingest token the collector's Secret holds, which the Splunk double's ingest API takes.
inline constexpr const char* kFakeIngestToken = "fake-ingest-token-0123456789";

class ValidateWorld {
 public:
  struct Setup {
    bool collector = true;  // the collector's objects exist
    bool service_instrumented = true;
    PodBehaviour collector_pods = PodBehaviour::ready();
    PodBehaviour service_pods = PodBehaviour::ready();
    std::string relay_yaml;     // replaces the rendered collector config when not empty
    bool service_spans = true;  // "Splunk" has spans of cxtm-scheduler's own from now on
  };

  ValidateWorld() : ValidateWorld(Setup{}) {}
  explicit ValidateWorld(Setup setup);

  // cxtm-o11y -c <config> --kubeconfig <fake> validate <arguments>, with the Splunk double's
  // URL in $CXTM_O11Y_SPLUNK_API_URL and $CXTM_O11Y_SPLUNK_INGEST_URL and its token in
  // $SPLUNK_API_TOKEN (env overrides win).
  kube::ProcessResult validate(const std::vector<std::string>& arguments,
                               std::map<std::string, std::string> env = {}) const;
  // The same with another command than validate.
  kube::ProcessResult run(const std::vector<std::string>& arguments,
                          std::map<std::string, std::string> env = {}) const;

  // Names of the pods whose names start with prefix-.
  std::vector<std::string> pods(const std::string& prefix) const;
  // Sets the log of every collector pod's collector container.
  void set_collector_logs(const std::string& text);
  // Sets the installer log of every scheduler pod.
  void set_installer_logs(const std::string& text);
  // Sets the app container's log of every scheduler pod.
  void set_app_logs(const std::string& text);

  const config::Config& config() const { return config_; }

  TempDir dir;
  FakeKubeApiServer kube;
  FakeCollector collector;
  FakeSplunkApi splunk{kFakeApiToken};

 private:
  std::filesystem::path kubeconfig_;
  std::filesystem::path config_file_;
  config::Config config_;
};

// validate -o json's run: its exit code, report and stderr.
struct ValidateRun {
  int exit_code;
  Json report;
  std::string err;
};
ValidateRun validate_json(const ValidateWorld& world, std::vector<std::string> arguments = {},
                          std::map<std::string, std::string> env = {});

// The check's JSON in a report (the last with this id); the test stops when there is none.
Json check(const Json& report, const std::string& id);
std::string status(const Json& report, const std::string& id);
// Whether text is a string containing part.
bool json_contains(const Json& text, const std::string& part);
// Whether one of the check's details contains part.
bool any_detail(const Json& check, const std::string& part);

}  // namespace cxtm::testing
