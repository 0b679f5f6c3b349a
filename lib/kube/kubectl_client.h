#pragma once
// KubeClient over the kubectl binary: one process per call, arguments as a vector, objects on
// stdin, answers as JSON on stdout. Works with kubectl 1.20 and newer.

#include <functional>
#include <memory>
#include <semaphore>
#include <string>
#include <vector>

#include "kube/batch_writer.h"
#include "kube/kube_client.h"
#include "kube/process.h"

namespace cxtm::kube {

struct KubectlOptions {
  std::string kubectl = "kubectl";  // path or name on PATH
  std::string kubeconfig;           // --kubeconfig; empty: kubectl's own default ($KUBECONFIG)
  std::string context;              // --context
  std::string request_timeout = "30s";
  // kubectl processes running at once (each holds ~45 MiB and a CPU while it starts); a wave of
  // services waits for a free one. Watches (watch_source.h) do not count.
  int max_processes = 8;
  std::function<void(const std::vector<std::string>&)> on_command;  // -v: show each command
};

// Lowers options.request_timeout to limit when that is shorter.
void lower_request_timeout(KubectlOptions& options, Duration limit);

class KubectlClient : public KubeClient, public BatchWriter {
 public:
  explicit KubectlClient(KubectlOptions options);

  std::optional<Json> get(const ObjectRef& ref) override;
  std::vector<std::optional<Json>> get_each(const std::vector<ObjectRef>& refs) override;
  std::vector<Json> list(std::string_view resource, std::string_view namespace_,
                         std::string_view label_selector) override;
  std::vector<Json> get_named(std::string_view resource, std::string_view namespace_,
                              const std::vector<std::string>& names) override;
  Json apply(const Json& object, DryRun dry_run, std::string_view field_manager) override;
  std::vector<WriteOutcome> apply_each(const std::vector<Json>& objects, DryRun dry_run,
                                       std::string_view field_manager) override;
  Json managed_fields(const ObjectRef& ref) override;
  Json replace(const Json& object) override;
  std::vector<WriteOutcome> replace_all(const std::vector<Json>& objects) override;
  std::vector<WriteOutcome> apply_all(const std::vector<Json>& objects,
                                      std::string_view field_manager) override;
  bool remove(const ObjectRef& ref) override;
  std::string logs(std::string_view namespace_, std::string_view pod, std::string_view container,
                   int tail_lines, bool previous) override;
  std::string log_head(std::string_view namespace_, std::string_view pod,
                       std::string_view container, int max_bytes) override;
  std::vector<bool> can_i(const std::vector<AccessQuery>& queries) override;
  bool serves(std::string_view group_version, std::string_view resource) override;
  // Lowers --request-timeout to limit when that is shorter.
  void limit_request_time(Duration limit) override;

  // The full argument vector for a kubectl call with these arguments (global flags first).
  std::vector<std::string> command(const std::vector<std::string>& arguments) const;

 private:
  ProcessResult run(const std::vector<std::string>& arguments, const std::string& stdin_data = "");
  Json run_json(std::string_view action, const std::vector<std::string>& arguments,
                const std::string& stdin_data = "");

  KubectlOptions options_;
  std::shared_ptr<std::counting_semaphore<>> processes_;
};

}  // namespace cxtm::kube
