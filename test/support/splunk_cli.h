#pragma once
// The built cxtm-o11y against a FakeSplunkApi, as an engineer would run `dashboards apply`: a
// temporary directory holding examples/cxtm-poc.yaml (HOME points there too), the API token in
// $SPLUNK_API_TOKEN and the double's URL in $CXTM_O11Y_SPLUNK_API_URL.

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/json.h"
#include "fixtures/fake_splunk_api.h"
#include "kube/process.h"
#include "support/temp_dir.h"

namespace cxtm::testing {

// The API token the double accepts.
inline constexpr const char* kSplunkTestToken = "fake-splunk-api-token-8c1e2f";

class SplunkCli {
 public:
  SplunkCli();

  // cxtm-o11y -c <config> arguments, with token in $SPLUNK_API_TOKEN ("" unsets it).
  kube::ProcessResult run(const std::vector<std::string>& arguments,
                          const std::string& token = kSplunkTestToken) const;
  // Runs as run() does and sends SIGINT once `when` holds (support/cli_runner.h).
  kube::ProcessResult run_interrupted(const std::vector<std::string>& arguments,
                                      const std::function<bool()>& when) const;
  // Replaces the first `from` in the config file by `to`.
  void edit_config(const std::string& from, const std::string& to) const;
  // As a user would in the web UI: takes the index-th chart off the dashboard named dashboard and
  // deletes it (through the API). Returns the chart's id.
  std::string remove_chart_by_hand(const std::string& dashboard, size_t index) const;
  // The non-GET requests the double has seen, "POST /v2/chart", in order.
  std::vector<std::string> writes() const;
  // The double's objects without what changes on every write (lastUpdated, lastUpdatedBy): what
  // must be the same before and after a failed apply.
  Json objects_kept() const;

  const std::filesystem::path& config() const { return config_; }

  FakeSplunkApi splunk;

 private:
  std::vector<std::string> argv(const std::vector<std::string>& arguments) const;
  std::map<std::string, std::string> environment(const std::string& token) const;

  TempDir dir_;
  std::filesystem::path config_;
};

}  // namespace cxtm::testing
