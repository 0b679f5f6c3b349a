#pragma once
// A KubeClient that reads a fleet in bulk and watches what waits are about instead of asking
// again and again. read_in_bulk() answers later reads of a collection (a namespace's
// Deployments, its pods) from one LIST instead of a GET each. The first await_change() for a
// workload (or read_in_bulk with follow) starts one LIST and one long-lived WATCH per collection
// of its namespace (the workloads of its kind, their ReplicaSets, the pods), shared by every
// wait of the run, so a rollout is seen the moment it completes and a fleet's waits cost no
// requests.
//
// Reads of a watched collection are answered from the cache while its watch is healthy; a read
// of an object this client wrote, or a list of its collection, waits (briefly) until the cache
// holds that write, so no wait or later step ever judges by the object as it was before. A watch
// that ends is resumed from the last resourceVersion seen; one the server expired (410) lists
// again; while a watch is failing, or when the API server refuses to list or watch (RBAC), reads go
// to the inner client and waits poll as without a cache. Every other call goes to the inner client.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "kube/kube_client.h"
#include "kube/watch_source.h"

namespace cxtm::kube {

class WatchingClient : public KubeClient {
 public:
  WatchingClient(std::unique_ptr<KubeClient> inner, std::unique_ptr<WatchSource> source);
  // Stops the watches and their threads.
  ~WatchingClient() override;
  WatchingClient(const WatchingClient&) = delete;
  WatchingClient& operator=(const WatchingClient&) = delete;

  std::optional<Json> get(const ObjectRef& ref) override;
  // In one call to the inner client unless the cache may answer some of them.
  std::vector<std::optional<Json>> get_each(const std::vector<ObjectRef>& refs) override;
  std::vector<Json> list(std::string_view resource, std::string_view namespace_,
                         std::string_view label_selector) override;
  std::vector<Json> get_named(std::string_view resource, std::string_view namespace_,
                              const std::vector<std::string>& names) override;
  Json apply(const Json& object, DryRun dry_run, std::string_view field_manager) override;
  std::vector<WriteOutcome> apply_each(const std::vector<Json>& objects, DryRun dry_run,
                                       std::string_view field_manager) override;
  Json replace(const Json& object) override;
  bool remove(const ObjectRef& ref) override;
  std::string logs(std::string_view namespace_, std::string_view pod, std::string_view container,
                   int tail_lines, bool previous) override;
  std::string log_head(std::string_view namespace_, std::string_view pod,
                       std::string_view container, int max_bytes) override;
  std::vector<bool> can_i(const std::vector<AccessQuery>& queries) override;
  void limit_request_time(Duration limit) override;
  void await_change(const ObjectRef& watched, Duration at_most) override;
  void read_in_bulk(std::string_view kind, const std::string& namespace_, bool follow) override;
  Json managed_fields(const ObjectRef& ref) override { return inner_->managed_fields(ref); }
  bool serves(std::string_view group_version, std::string_view resource) override {
    return inner_->serves(group_version, resource);
  }

 private:
  struct Collection;

  // How long a read waits for a first LIST under way, and for the cache to show this client's
  // own write, before it asks the API server itself.
  static constexpr auto kFirstList = std::chrono::seconds(30);
  static constexpr auto kCatchUp = std::chrono::seconds(2);

  // The collection of kind ("Deployment", "Pod", ...) in namespace_, if any. mutex_ held.
  Collection* collection(std::string_view kind, std::string_view namespace_);
  // The same when it answers reads: listed, its watch (if any) healthy; waits for a first LIST
  // under way. mutex_ held by lock.
  Collection* healthy(std::string_view kind, std::string_view namespace_,
                      std::unique_lock<std::mutex>& lock);
  // Starts watching the collections await_change(watched) is about, once.
  void watch_for(const ObjectRef& watched);
  void start(std::string_view kind, const std::string& namespace_);
  // The thread of one collection: list, then watch and resume until stopped.
  void run(Collection& collection);
  void take_event(Collection& collection, std::string_view line);
  // Counts a change in (name: the object's; "" concerns every wait) and wakes the waits.
  void note_change(const std::string& name);
  // Whether anything changed since change `seen` that may concern `workload`: the object
  // itself, what its controllers name after it, or a change of a whole collection.
  bool changed_since(long long seen, const std::string& workload) const;
  // Whether the cache holds what this client wrote of an object (`wrote`: the generation it
  // wrote, 0 for none, -1 for an object read from the API server: removed, or a write failed),
  // not yet, or never. mutex_ held.
  enum class OwnWrites { held, pending, read_directly };
  OwnWrites write_state(const Collection& cached, const std::string& name, long long wrote) const;
  // Waits, kCatchUp at most, until `state` is no longer pending (read_directly once the cache is
  // not healthy); the last state.
  OwnWrites await_own_writes(const Collection& cached, std::unique_lock<std::mutex>& lock,
                             const std::function<OwnWrites()>& state);
  // Notes the generation of an object as this client wrote it: cache reads wait for it.
  void remember_write(const Json& written);
  // After a write that failed (a conflict, an answer lost): the object is read from the API
  // server from now on.
  void read_directly(const Json& object);

  std::unique_ptr<KubeClient> inner_;
  std::unique_ptr<WatchSource> source_;
  std::mutex mutex_;
  std::condition_variable changed_;
  long long changes_ = 0;  // moves on every change any collection takes in
  std::deque<std::pair<long long, std::string>> recent_;  // the latest changes: number, name
  std::atomic<bool> stopping_{false};
  std::map<std::string, std::unique_ptr<Collection>> collections_;  // by API path
  // "Kind ns/name" → the generation this client wrote; -1: removed, read it directly.
  std::map<std::string, long long> written_;
};

}  // namespace cxtm::kube
