#include "support/splunk_cli.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/atomic_file.h"
#include "dashboards/plan.h"
#include "net/http_client.h"
#include "splunk/objects_api.h"
#include "support/cli_runner.h"

namespace cxtm::testing {
namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

SplunkCli::SplunkCli() : splunk(kSplunkTestToken) {
  config_ = dir_.write("cxtm-o11y.yaml", read_text(std::filesystem::path(CXTM_SOURCE_DIR) /
                                                   "examples/cxtm-poc.yaml"));
}

std::vector<std::string> SplunkCli::argv(const std::vector<std::string>& arguments) const {
  std::vector<std::string> argv = {binary_under_test(), "-c", config_.string()};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return argv;
}

std::map<std::string, std::string> SplunkCli::environment(const std::string& token) const {
  return {{"HOME", dir_.path().string()},
          {"SPLUNK_API_TOKEN", token},
          {"CXTM_O11Y_SPLUNK_API_URL", splunk.url()}};
}

kube::ProcessResult SplunkCli::run(const std::vector<std::string>& arguments,
                                   const std::string& token) const {
  return kube::run_process({.argv = argv(arguments),
                            .timeout = std::chrono::seconds(120),
                            .env_overrides = environment(token)});
}

kube::ProcessResult SplunkCli::run_interrupted(const std::vector<std::string>& arguments,
                                               const std::function<bool()>& when) const {
  return testing::run_interrupted(argv(arguments), environment(kSplunkTestToken), dir_.path(),
                                  when);
}

void SplunkCli::edit_config(const std::string& from, const std::string& to) const {
  std::string text = read_text(config_);
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("the config has no " + from);
  write_file_atomic(config_, text.replace(at, from.size(), to));
}

std::string SplunkCli::remove_chart_by_hand(const std::string& dashboard, size_t index) const {
  using splunk::ObjectType;
  const Json dashboards = splunk.objects().value("dashboard", Json::object());
  for (const auto& [id, object] : dashboards.items()) {
    if (object.value("name", "") != dashboard) continue;
    Json edited = dashboards::without_read_only_fields(object);
    const std::string chart = edited["charts"].at(index).at("chartId");
    edited["charts"].erase(index);
    net::CurlHttpClient http;
    splunk::ObjectsApi api(http, splunk.url(), kSplunkTestToken, std::chrono::seconds(5));
    api.update(ObjectType::dashboard, id, edited, "dashboard " + dashboard);
    api.remove(ObjectType::chart, chart, "chart " + chart);
    return chart;
  }
  throw std::runtime_error("no dashboard " + dashboard);
}

std::vector<std::string> SplunkCli::writes() const {
  std::vector<std::string> writes;
  for (const auto& request : splunk.requests()) {
    if (!request.starts_with("GET ")) writes.push_back(request);
  }
  return writes;
}

Json SplunkCli::objects_kept() const {
  Json objects = splunk.objects();
  for (auto& [type, by_id] : objects.items()) {
    for (auto& [id, object] : by_id.items()) {
      object.erase("lastUpdated");
      object.erase("lastUpdatedBy");
    }
  }
  return objects;
}

}  // namespace cxtm::testing
