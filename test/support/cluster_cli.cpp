#include "support/cluster_cli.h"

#include <fmt/core.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <thread>

#include "core/atomic_file.h"
#include "core/digest.h"
#include "fixtures/kube_referenced_objects.h"
#include "instrument/owned.h"
#include "support/cli_runner.h"
#include "support/kubectl_runner.h"

namespace cxtm::testing {

std::vector<std::string> fast(std::vector<std::string> arguments, const std::string& timeout) {
  const bool instrument = !arguments.empty() && arguments.front() == "instrument";
  for (const std::string& flag :
       {std::string("--timeout"), timeout, std::string("--poll-interval"), std::string("20ms")}) {
    arguments.push_back(flag);
  }
  if (instrument) arguments.emplace_back("--no-validate");
  return arguments;
}

std::vector<std::string> lines_starting(const std::string& text, std::string_view prefix) {
  std::vector<std::string> lines;
  for (size_t at = 0; at < text.size();) {
    const auto end = std::min(text.find('\n', at), text.size());
    if (std::string_view(text).substr(at, end - at).starts_with(prefix)) {
      lines.push_back(text.substr(at, end - at));
    }
    at = end + 1;
  }
  return lines;
}

Json essence(const std::optional<Json>& object) {
  if (!object) return nullptr;
  Json copy = *object;
  copy.erase("status");
  Json& metadata = copy["metadata"];
  for (const char* key :
       {"resourceVersion", "uid", "generation", "creationTimestamp", "managedFields"}) {
    metadata.erase(key);
  }
  // A Service's address is the server's pick (random on a real cluster), not the object's.
  if (copy.value("kind", "") == "Service" && copy.contains("spec")) {
    copy["spec"].erase("clusterIP");
    copy["spec"].erase("clusterIPs");
  }
  if (metadata.contains("annotations")) {
    metadata["annotations"].erase("deployment.kubernetes.io/revision");
    metadata["annotations"].erase("deprecated.daemonset.template.generation");
    if (metadata["annotations"].empty()) metadata.erase("annotations");
  }
  return copy;
}

bool same_essence(const Json& a, const Json& b) {
  return same_json(essence(a), essence(b));
}

bool carries_our_annotations(const Json& deployment) {
  const Json markers = instrument::tool_markers(deployment);
  return !markers["deployment"].empty() || !markers["template"].empty();
}

bool has_installer(const Json& deployment) {
  for (const Json& init :
       deployment["spec"]["template"]["spec"].value("initContainers", Json::array())) {
    if (init.value("name", "") == "otel-auto-instrumentation") return true;
  }
  return false;
}

std::string app_env(const Json& deployment, const std::string& name) {
  for (const Json& entry :
       deployment["spec"]["template"]["spec"]["containers"][0].value("env", Json::array())) {
    if (entry.value("name", "") == name) return entry.value("value", "");
  }
  return "";
}

std::string deployment_path(const std::string& name, const std::string& namespace_) {
  return "/apis/apps/v1/namespaces/" + namespace_ + "/deployments/" + name;
}

std::vector<std::string> corpus_files() {
  std::vector<std::string> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(CXTM_SOURCE_DIR "/test/testdata/deployments")) {
    if (entry.path().extension() == ".json") files.push_back(entry.path().stem().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

Json corpus_deployment(const std::string& file) {
  return Json::parse(read_file(CXTM_SOURCE_DIR "/test/testdata/deployments/" + file + ".json"));
}

ClusterCli::ClusterCli(const std::string& extra_services)
    : state_dir_(dir_.path() / "state"), kubeconfig_(server.write_kubeconfig(dir_.path())) {
  // The example ends with its services, so more can follow; state_dir is a top-level key.
  std::string config = read_file(CXTM_SOURCE_DIR "/examples/cxtm-poc.yaml");
  if (!config.ends_with('\n')) config += '\n';
  config += extra_services;
  config += fmt::format("state_dir: {}\n", state_dir_.string());
  config_ = dir_.write("cxtm-o11y.yaml", config);
}

ClusterCli::ClusterCli(CopyOf copy)
    : state_dir_(dir_.path() / "state"), kubeconfig_(server.write_kubeconfig(dir_.path())) {
  const ClusterCli& source = copy.source;
  server.restore(*source.server.snapshot());
  if (std::filesystem::exists(source.state_dir_)) {
    std::filesystem::copy(source.state_dir_, state_dir_, std::filesystem::copy_options::recursive);
  }
  std::string config = read_file(source.config_);
  const std::string from = "state_dir: " + source.state_dir_.string();
  const auto at = config.find(from);
  if (at == std::string::npos) throw std::logic_error("the source config names no state_dir");
  config_ = dir_.write("cxtm-o11y.yaml",
                       config.replace(at, from.size(), "state_dir: " + state_dir_.string()));
}

void ClusterCli::seed_referenced_objects(const Json& deployment) {
  testing::seed_referenced_objects(server, deployment);
}

Json ClusterCli::seed(const std::string& file, const std::string& name,
                      const std::string& namespace_) {
  Json deployment = corpus_deployment(file);
  if (!name.empty()) deployment["metadata"]["name"] = name;
  if (!namespace_.empty()) deployment["metadata"]["namespace"] = namespace_;
  seed_referenced_objects(deployment);
  const std::string path =
      deployment_path(deployment["metadata"]["name"], deployment["metadata"]["namespace"]);
  server.put_object(std::move(deployment));
  server.await_rollout(path);
  return *server.get(path);
}

std::vector<std::string> ClusterCli::argv(const std::vector<std::string>& arguments,
                                          const std::string& kubectl) const {
  std::vector<std::string> argv = {binary_under_test(),
                                   "-c",
                                   config_.string(),
                                   "--kubeconfig",
                                   kubeconfig_.string(),
                                   "--kubectl",
                                   kubectl.empty() ? test_kubectl() : kubectl};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return argv;
}

std::map<std::string, std::string> ClusterCli::environment() const {
  return {{"HOME", dir_.path().string()},
          {"KUBECACHEDIR", (dir_.path() / "kube-cache").string()},
          {"KUBECONFIG", ""},
          {"SPLUNK_ACCESS_TOKEN", ""},
          // The tool's private directory (kubectl proxy's socket) goes here, so that a run the
          // tests kill leaves none in /tmp: it goes with the cluster.
          {"TMPDIR", dir_.path().string()}};
}

kube::ProcessResult ClusterCli::run(const std::vector<std::string>& arguments,
                                    const std::string& kubectl,
                                    const std::map<std::string, std::string>& env) const {
  std::map<std::string, std::string> overrides = environment();
  for (const auto& [key, value] : env) overrides[key] = value;
  return kube::run_process({.argv = argv(arguments, kubectl),
                            .timeout = std::chrono::seconds(120),
                            .env_overrides = overrides});
}

kube::ProcessResult ClusterCli::kubectl(const std::vector<std::string>& arguments,
                                        const std::string& stdin_data) const {
  std::vector<std::string> argv = {test_kubectl(), "--kubeconfig", kubeconfig_.string()};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return kube::run_process({.argv = argv,
                            .stdin_data = stdin_data,
                            .timeout = std::chrono::seconds(120),
                            .env_overrides = environment()});
}

kube::ProcessResult ClusterCli::run_interrupted(const std::vector<std::string>& arguments,
                                                const std::function<bool()>& when) const {
  return testing::run_interrupted(argv(arguments, ""), environment(), dir_.path(), when);
}

void ClusterCli::inject_from_write(WriteMatch starts, Fault fault) {
  // Shared: the server calls a copy of the hook.
  auto started = std::make_shared<std::atomic<bool>>(false);
  server.on_write([this, starts, fault, started](int write, const std::string& method,
                                                 const std::string& path) {
    if (!starts(write, method, path) || started->exchange(true)) return;
    server.inject(fault);
    server.end_watches();
  });
}

void ClusterCli::inject_from_write(int write, Fault fault) {
  inject_from_write(
      [write](int landed, const std::string&, const std::string&) { return landed == write; },
      std::move(fault));
}

std::string ClusterCli::writes_seen(size_t first) const {
  const auto requests = server.requests();
  std::string lines;
  for (size_t i = first; i < requests.size(); ++i) {
    const RecordedRequest& request = requests[i];
    if (request.method == "GET") continue;
    lines += fmt::format("\n  {} {}?{} -> {}{}, on the connection from port {}", request.method,
                         request.path, request.query, request.status,
                         request.faulted ? " (a fault)" : "", request.client_port);
  }
  return lines;
}

Json ClusterCli::deployment(const std::string& name) const {
  auto stored = server.get(deployment_path(name));
  if (!stored) throw std::runtime_error("no Deployment " + name + " at the fake API server");
  return *stored;
}

std::optional<Json> ClusterCli::backup_configmap(const std::string& deployment) const {
  return server.get("/api/v1/namespaces/default/configmaps/cxtm-o11y-backup-" + deployment);
}

std::filesystem::path ClusterCli::local_original(const std::string& deployment) const {
  return state_dir_ / "backups" / "cxtm-poc" / "default" / deployment / "original.json";
}

}  // namespace cxtm::testing
