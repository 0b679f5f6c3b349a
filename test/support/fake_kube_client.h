#pragma once
// A KubeClient over an in-memory store, for fast unit tests of actions beside the kubectl
// integration tests (Helm's kube/fake): objects seeded or written are kept by kind, namespace
// and name with a resourceVersion every write bumps; replace takes it as a precondition (409
// Conflict); and any call can be told to fail, before or after it takes effect.
//
// What it does not model, so tests of these go through the API server double and kubectl:
// controllers (a written Deployment never rolls out; its status stays as seeded), admission,
// defaults and validation, server-side apply's field ownership (apply stores the object as
// given, keeping the stored metadata it leaves out), RBAC (can_i grants everything), watches
// (await_change lets the pause pass at once), logs (empty) and discovery (serves nothing). Safe to
// call from several threads, as a wave of services does.

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "core/time_source.h"
#include "kube/kube_client.h"
#include "support/stub_kube_client.h"

namespace cxtm::testing {

enum class KubeCall { get, list, get_named, apply, replace, remove };

// When an injected failure strikes: before the call does anything, or after it took effect
// (a write that lands and then loses its answer).
enum class FailureStrikes { before, after };

// The calls it does not store for (logs, access reviews, discovery) answer as StubKubeClient's.
class FakeKubeClient : public StubKubeClient {
 public:
  // time: what await_change sleeps on (a ManualTime moves on at once); nullptr: it returns.
  explicit FakeKubeClient(TimeSource* time = nullptr) : time_(time) {}

  // Stores object as the API server would have it: resourceVersion set, metadata.generation
  // counting its spec's changes; uid and creationTimestamp kept when given.
  void put(Json object);
  // The stored object, or nullopt.
  std::optional<Json> stored(std::string_view kind, std::string_view namespace_,
                             std::string_view name) const;
  // The next `times` calls of `call` throw error, before or after taking effect.
  void fail(KubeCall call, const kube::KubeError& error, int times = 1,
            FailureStrikes strikes = FailureStrikes::before);
  // "replace Deployment default/x", "apply ConfigMap default/y (dry run)", in order: each
  // write asked for, whether it took effect or not.
  const std::vector<std::string>& writes() const { return writes_; }
  int calls(KubeCall call) const;

  std::optional<Json> get(const kube::ObjectRef& ref) override;
  std::vector<Json> list(std::string_view resource, std::string_view namespace_,
                         std::string_view label_selector) override;
  std::vector<Json> get_named(std::string_view resource, std::string_view namespace_,
                              const std::vector<std::string>& names) override;
  Json apply(const Json& object, kube::DryRun dry_run, std::string_view field_manager) override;
  Json replace(const Json& object) override;
  bool remove(const kube::ObjectRef& ref) override;
  // Nothing changes by itself here: the whole pause passes.
  void await_change(const kube::ObjectRef&, Duration at_most) override {
    if (time_ != nullptr) time_->sleep_for(at_most);
  }

 private:
  using Key = std::tuple<std::string, std::string, std::string>;  // kind, namespace, name
  struct Failure {
    KubeCall call;
    kube::KubeError error;
    int times;
    FailureStrikes strikes;
  };
  // The failure due for this call now, counted down; nullopt when none.
  std::optional<Failure> due_failure(KubeCall call);
  Json store(Json object);
  std::optional<Json> find(const kube::ObjectRef& ref) const;

  // Actions call from several threads at once (a wave of services).
  mutable std::mutex mutex_;
  TimeSource* time_;
  std::map<Key, Json> objects_;
  long long revision_ = 1000;
  std::vector<Failure> failures_;
  std::map<KubeCall, int> calls_;
  std::vector<std::string> writes_;
};

}  // namespace cxtm::testing
