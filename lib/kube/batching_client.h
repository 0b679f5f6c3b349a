#pragma once
// A KubeClient that writes a wave of services together: replaces and applies that callers start
// at about the same time (the threads of a fleet's wave) go to the BatchWriter in a few batches
// side by side (kRunsAtOnce) per kind of write (kube/batch_writer.h), each caller getting its own
// object's answer or error as if it had written alone. Through kubectl proxy (ProxyClient) each
// object is its own request anyway; without it, a batch is one kubectl run. A write with nobody
// to share it with goes out alone. Reads and everything else go to the inner client.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "kube/batch_writer.h"
#include "kube/kube_client.h"

namespace cxtm::kube {

class BatchingClient : public KubeClient {
 public:
  // writer writes the batches (usually the inner client itself); window: how long the first
  // write of a batch waits for others to join, after each arrival, at most `most` in all.
  BatchingClient(std::unique_ptr<KubeClient> inner, BatchWriter& writer,
                 Duration window = std::chrono::milliseconds(15),
                 Duration most = std::chrono::milliseconds(100));

  std::optional<Json> get(const ObjectRef& ref) override { return inner_->get(ref); }
  std::vector<std::optional<Json>> get_each(const std::vector<ObjectRef>& refs) override {
    return inner_->get_each(refs);
  }
  std::vector<Json> list(std::string_view resource, std::string_view namespace_,
                         std::string_view label_selector) override {
    return inner_->list(resource, namespace_, label_selector);
  }
  std::vector<Json> get_named(std::string_view resource, std::string_view namespace_,
                              const std::vector<std::string>& names) override {
    return inner_->get_named(resource, namespace_, names);
  }
  Json apply(const Json& object, DryRun dry_run, std::string_view field_manager) override;
  // Already one batch: straight to the inner client.
  std::vector<WriteOutcome> apply_each(const std::vector<Json>& objects, DryRun dry_run,
                                       std::string_view field_manager) override {
    return inner_->apply_each(objects, dry_run, field_manager);
  }
  Json replace(const Json& object) override;
  bool remove(const ObjectRef& ref) override { return inner_->remove(ref); }
  std::string logs(std::string_view namespace_, std::string_view pod, std::string_view container,
                   int tail_lines, bool previous) override {
    return inner_->logs(namespace_, pod, container, tail_lines, previous);
  }
  std::string log_head(std::string_view namespace_, std::string_view pod,
                       std::string_view container, int max_bytes) override {
    return inner_->log_head(namespace_, pod, container, max_bytes);
  }
  std::vector<bool> can_i(const std::vector<AccessQuery>& queries) override {
    return inner_->can_i(queries);
  }
  void limit_request_time(Duration limit) override { inner_->limit_request_time(limit); }
  void await_change(const ObjectRef& watched, Duration at_most) override {
    inner_->await_change(watched, at_most);
  }
  void read_in_bulk(std::string_view kind, const std::string& namespace_, bool follow) override {
    inner_->read_in_bulk(kind, namespace_, follow);
  }
  Json managed_fields(const ObjectRef& ref) override { return inner_->managed_fields(ref); }
  bool serves(std::string_view group_version, std::string_view resource) override {
    return inner_->serves(group_version, resource);
  }

 private:
  struct Pending;
  // Queues the write, and either leads a batch (waits for others, writes them all, hands out
  // the answers) or waits for the batch it joined; the object's answer, or its error thrown.
  Json write(const std::string& verb, std::string_view field_manager, const Json& object);
  // One kubectl run for the writes (the inner client's own call for one); each one's outcome.
  std::vector<WriteOutcome> write_together(const std::vector<std::shared_ptr<Pending>>& batch);

  // kubectl writes a batch's objects one by one: a wave goes out in this many runs at once.
  static constexpr size_t kRunsAtOnce = 4;

  std::unique_ptr<KubeClient> inner_;
  BatchWriter& writer_;
  Duration window_;
  Duration most_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::shared_ptr<Pending>> queue_;
  bool leading_ = false;  // a batch is gathering or being written
};

}  // namespace cxtm::kube
