#include "kube/retrying_client.h"

#include <algorithm>

namespace cxtm::kube {
namespace {

bool retriable(const KubeError& error) {
  return error.retriable();
}

bool surely_not_done(const KubeError& error) {
  return error.kind() == FailureKind::transient;
}

}  // namespace

template <typename Call>
auto RetryingClient::with_retries(Call call, const std::function<bool(const KubeError&)>& again)
    -> decltype(call()) {
  const auto start = policy_.time->now();
  Duration pause = policy_.first_pause;
  for (int attempt = 1;; ++attempt) {
    try {
      return call();
    } catch (const KubeError& error) {
      const auto elapsed = policy_.time->now() - start;
      if (!again(error) || attempt >= policy_.attempts || elapsed + pause > policy_.budget) {
        throw;
      }
      if (policy_.on_retry) policy_.on_retry(error, pause);
      policy_.time->sleep_for(pause);
      pause = std::min(pause * 2, policy_.longest_pause);
    }
  }
}

std::optional<Json> RetryingClient::get(const ObjectRef& ref) {
  return with_retries([&] { return inner_->get(ref); }, retriable);
}

std::vector<std::optional<Json>> RetryingClient::get_each(const std::vector<ObjectRef>& refs) {
  return with_retries([&] { return inner_->get_each(refs); }, retriable);
}

Json RetryingClient::managed_fields(const ObjectRef& ref) {
  return with_retries([&] { return inner_->managed_fields(ref); }, retriable);
}

bool RetryingClient::serves(std::string_view group_version, std::string_view resource) {
  return with_retries([&] { return inner_->serves(group_version, resource); }, retriable);
}

std::vector<Json> RetryingClient::list(std::string_view resource, std::string_view namespace_,
                                       std::string_view label_selector) {
  return with_retries([&] { return inner_->list(resource, namespace_, label_selector); },
                      retriable);
}

std::vector<Json> RetryingClient::get_named(std::string_view resource, std::string_view namespace_,
                                            const std::vector<std::string>& names) {
  return with_retries([&] { return inner_->get_named(resource, namespace_, names); }, retriable);
}

Json RetryingClient::apply(const Json& object, DryRun dry_run, std::string_view field_manager) {
  return with_retries([&] { return inner_->apply(object, dry_run, field_manager); }, retriable);
}

std::vector<WriteOutcome> RetryingClient::apply_each(const std::vector<Json>& objects,
                                                     DryRun dry_run,
                                                     std::string_view field_manager) {
  std::vector<WriteOutcome> outcomes(objects.size());
  std::vector<size_t> pending(objects.size());
  for (size_t i = 0; i < pending.size(); ++i) pending[i] = i;
  try {
    with_retries(
        [&] {
          std::vector<Json> batch;
          for (const size_t i : pending) batch.push_back(objects[i]);
          std::vector<WriteOutcome> answers;
          try {
            answers = inner_->apply_each(batch, dry_run, field_manager);
          } catch (const KubeError& error) {
            answers.assign(batch.size(), {.stored = std::nullopt, .failure = error});
          }
          std::vector<size_t> again;
          std::optional<KubeError> first_retriable;
          for (size_t k = 0; k < pending.size(); ++k) {
            outcomes[pending[k]] = answers[k];
            if (answers[k].failure && answers[k].failure->retriable()) {
              again.push_back(pending[k]);
              if (!first_retriable) first_retriable = answers[k].failure;
            }
          }
          pending = std::move(again);
          if (first_retriable) throw *first_retriable;
          return true;
        },
        retriable);
  } catch (const KubeError&) {
    // Tries spent: the outcomes hold each object's last failure.
  }
  return outcomes;
}

Json RetryingClient::replace(const Json& object) {
  return with_retries([&] { return inner_->replace(object); }, surely_not_done);
}

bool RetryingClient::remove(const ObjectRef& ref) {
  bool maybe_done = false;
  return with_retries(
      [&] {
        // After an answer lost on its way back, "not found" means the first delete did it.
        const bool removed = inner_->remove(ref);
        return removed || maybe_done;
      },
      [&](const KubeError& error) {
        maybe_done |= error.kind() == FailureKind::unknown;
        return error.retriable();
      });
}

std::string RetryingClient::logs(std::string_view namespace_, std::string_view pod,
                                 std::string_view container, int tail_lines, bool previous) {
  return with_retries(
      [&] { return inner_->logs(namespace_, pod, container, tail_lines, previous); }, retriable);
}

std::string RetryingClient::log_head(std::string_view namespace_, std::string_view pod,
                                     std::string_view container, int max_bytes) {
  return with_retries([&] { return inner_->log_head(namespace_, pod, container, max_bytes); },
                      retriable);
}

std::vector<bool> RetryingClient::can_i(const std::vector<AccessQuery>& queries) {
  return with_retries([&] { return inner_->can_i(queries); }, retriable);
}

void RetryingClient::limit_request_time(Duration limit) {
  inner_->limit_request_time(limit);
  if (limit.count() > 0) policy_.budget = std::min(policy_.budget, limit);
}

}  // namespace cxtm::kube
