#pragma once
// A KubeClient that asks again when an answer is lost to a passing failure (429, 5xx, a
// timeout, a dropped or refused connection), with doubling pauses, within a time budget.
//
// Reads are simply repeated. Server-side apply and delete are idempotent, so they are repeated
// too (a delete that finds the object gone after a lost answer did its work). A replace is
// repeated only when the server surely did nothing (429, a refused connection); when its outcome
// is unknown the error goes to the caller, who re-reads the object to learn whether it landed.

#include <functional>
#include <memory>

#include "core/duration.h"
#include "core/time_source.h"
#include "kube/kube_client.h"

namespace cxtm::kube {

struct RetryPolicy {
  int attempts = 5;                                       // tries in all, the first included
  Duration first_pause = std::chrono::milliseconds(200);  // doubled after each try
  Duration longest_pause = std::chrono::seconds(2);
  // Retries stop once this much time has gone since the first try (a hang uses it up at once).
  Duration budget = std::chrono::seconds(30);
  TimeSource* time = &system_time();  // measures the budget and pauses
  // Told before each retry: what failed and how long the pause is.
  std::function<void(const KubeError&, Duration)> on_retry;
};

class RetryingClient : public KubeClient {
 public:
  RetryingClient(std::unique_ptr<KubeClient> inner, RetryPolicy policy)
      : inner_(std::move(inner)), policy_(std::move(policy)) {}

  std::optional<Json> get(const ObjectRef& ref) override;
  std::vector<std::optional<Json>> get_each(const std::vector<ObjectRef>& refs) override;
  std::vector<Json> list(std::string_view resource, std::string_view namespace_,
                         std::string_view label_selector) override;
  std::vector<Json> get_named(std::string_view resource, std::string_view namespace_,
                              const std::vector<std::string>& names) override;
  Json apply(const Json& object, DryRun dry_run, std::string_view field_manager) override;
  // Applies again only the objects whose apply failed in a way worth another try.
  std::vector<WriteOutcome> apply_each(const std::vector<Json>& objects, DryRun dry_run,
                                       std::string_view field_manager) override;
  Json replace(const Json& object) override;
  bool remove(const ObjectRef& ref) override;
  std::string logs(std::string_view namespace_, std::string_view pod, std::string_view container,
                   int tail_lines, bool previous) override;
  std::string log_head(std::string_view namespace_, std::string_view pod,
                       std::string_view container, int max_bytes) override;
  std::vector<bool> can_i(const std::vector<AccessQuery>& queries) override;
  // Passes the limit on, and keeps the retries of one request inside it.
  void limit_request_time(Duration limit) override;
  void await_change(const ObjectRef& watched, Duration at_most) override {
    inner_->await_change(watched, at_most);
  }
  void read_in_bulk(std::string_view kind, const std::string& namespace_, bool follow) override {
    inner_->read_in_bulk(kind, namespace_, follow);
  }
  Json managed_fields(const ObjectRef& ref) override;
  bool serves(std::string_view group_version, std::string_view resource) override;

 private:
  // Runs call, again after a pause while it fails in a way `again` accepts, attempts and budget
  // allowing; the last failure is thrown.
  template <typename Call>
  auto with_retries(Call call, const std::function<bool(const KubeError&)>& again)
      -> decltype(call());

  std::unique_ptr<KubeClient> inner_;
  RetryPolicy policy_;
};

}  // namespace cxtm::kube
