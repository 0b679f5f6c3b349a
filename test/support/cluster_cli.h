#pragma once
// The built cxtm-o11y against a FakeKubeApiServer, as an engineer would run it: a temporary
// directory with the server's kubeconfig, a config based on examples/cxtm-poc.yaml (its
// state_dir inside the directory) and HOME, so kubectl's cache stays there too.

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "fixtures/fake_kube_api_server.h"
#include "kube/process.h"
#include "support/temp_dir.h"

namespace cxtm::testing {

class ClusterCli;

// Asks for a ClusterCli that starts where another one is.
struct CopyOf {
  const ClusterCli& source;
};

class ClusterCli {
 public:
  // services: extra YAML lines appended under `services:` (indented by two spaces), for
  // services beyond the example's scheduler and notifications.
  explicit ClusterCli(const std::string& extra_services = "");
  // A new cluster and directory holding what source's hold now: the server's state, the config
  // file and the local backups (a matrix prepares a state once and plays each case on a copy).
  explicit ClusterCli(CopyOf copy);

  // Seeds test/testdata/deployments/<file>.json, renamed to name and moved to namespace_ when
  // given (default: the file's), waits for its rollout (20 s at most: its pods may be told to
  // fail) and returns it as the server stores it (defaults filled, status as its controller
  // last wrote it).
  Json seed(const std::string& file, const std::string& name = "",
            const std::string& namespace_ = "");
  // Creates the Secrets and ConfigMaps the Deployment's pod template reads, with the keys it
  // reads, unless the cluster has them (seed does it for every corpus shape).
  void seed_referenced_objects(const Json& deployment);

  // Which landed write starts an outage: its number (1 for the first), method and path.
  using WriteMatch =
      std::function<bool(int write, const std::string& method, const std::string& path)>;
  // From the moment the first write that `starts` matches lands (before its answer), fault
  // applies and every open watch ends: an outage that starts, or a role taken away and the API
  // server restarted, in the middle of a run. The tool's next requests meet it, however its
  // watches and its own reads happen to interleave before that write. Writes count by what
  // lands, not by what is sent: a PUT refused with 409 Conflict is no write. It takes the
  // server's one on_write hook, replacing any a test set.
  void inject_from_write(WriteMatch starts, Fault fault);
  // From the server's write number `write` on.
  void inject_from_write(int write, Fault fault);
  // The writes the API server double answered from request number `first` on
  // (server.requests()), a line each: method, path and query, the status answered (0: none),
  // whether a fault answered, and the client's port (which connection). What a failed check met.
  std::string writes_seen(size_t first) const;

  // cxtm-o11y -c <config> --kubeconfig <fake> --kubectl <kubectl> arguments; kubectl
  // defaults to $CXTM_TEST_KUBECTL; env overrides the environment (SPLUNK_ACCESS_TOKEN is "").
  kube::ProcessResult run(const std::vector<std::string>& arguments,
                          const std::string& kubectl = "",
                          const std::map<std::string, std::string>& env = {}) const;
  // kubectl itself (the test's) against the fake, as an admin at a terminal would run it:
  // `render --part cluster | kubectl apply -f -` is run(render) then kubectl({"apply", "-f",
  // "-"}, out).
  kube::ProcessResult kubectl(const std::vector<std::string>& arguments,
                              const std::string& stdin_data = "") const;
  // Runs as run() does, and sends the process SIGINT (as Ctrl-C would, but not to the kubectl
  // it runs) once `when` holds; `when` is polled, for a minute at most.
  kube::ProcessResult run_interrupted(const std::vector<std::string>& arguments,
                                      const std::function<bool()>& when) const;

  // The Deployment as stored at the server; throws when there is none.
  Json deployment(const std::string& name) const;
  // The backup ConfigMap of a Deployment as stored, or nullopt.
  std::optional<Json> backup_configmap(const std::string& deployment) const;
  // <state_dir>/backups/cxtm-poc/default/<deployment>/original.json.
  std::filesystem::path local_original(const std::string& deployment) const;
  const std::filesystem::path& state_dir() const { return state_dir_; }
  const std::filesystem::path& config() const { return config_; }
  const std::filesystem::path& kubeconfig() const { return kubeconfig_; }

  FakeKubeApiServer server;

 private:
  std::vector<std::string> argv(const std::vector<std::string>& arguments,
                                const std::string& kubectl) const;
  std::map<std::string, std::string> environment() const;

  TempDir dir_;
  std::filesystem::path state_dir_;
  std::filesystem::path config_;
  std::filesystem::path kubeconfig_;
};

// arguments with short waits that poll often (the fake's pods are ready at once unless a test
// says otherwise); instrument also skips validate's checks, which need a collector. timeout is
// the commands' --timeout.
std::vector<std::string> fast(std::vector<std::string> arguments,
                              const std::string& timeout = "20s");

// The lines of text that start with prefix ("cxtm-o11y: error: "); the others are progress.
std::vector<std::string> lines_starting(const std::string& text, std::string_view prefix);

// Deep equality whatever the order of keys (core/json.h).
using cxtm::same_json;

// An object without what the server and its controllers keep for themselves (status,
// resourceVersion, uid, generation, timestamps, managed fields, the controllers' revision
// annotations, a Service's allocated addresses): what users wrote, for comparing states across
// time. null for nullopt.
Json essence(const std::optional<Json>& object);

// Whether a and b hold the same essence.
bool same_essence(const Json& a, const Json& b);

// Whether any annotation of the Deployment or its pod template is the tool's (tool_markers).
bool carries_our_annotations(const Json& deployment);
// Whether the pod template has the tool's installer init container.
bool has_installer(const Json& deployment);
// The plain value of an env var of the pod template's first container ("" when unset).
std::string app_env(const Json& deployment, const std::string& name);

// The API path of a Deployment (in namespace default unless given).
std::string deployment_path(const std::string& name, const std::string& namespace_ = "default");

// A test/testdata/deployments/<file>.json as written.
Json corpus_deployment(const std::string& file);
// The corpus's shapes: the names of test/testdata/deployments/*.json, sorted.
std::vector<std::string> corpus_files();

}  // namespace cxtm::testing
