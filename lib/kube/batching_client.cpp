#include "kube/batching_client.h"

#include <algorithm>

#include "core/parallel.h"

namespace cxtm::kube {

struct BatchingClient::Pending {
  std::string verb;  // "replace" or "apply"
  std::string field_manager;
  Json object;
  std::optional<WriteOutcome> outcome;
};

BatchingClient::BatchingClient(std::unique_ptr<KubeClient> inner, BatchWriter& writer,
                               Duration window, Duration most)
    : inner_(std::move(inner)), writer_(writer), window_(window), most_(most) {}

Json BatchingClient::apply(const Json& object, DryRun dry_run, std::string_view field_manager) {
  if (dry_run != DryRun::none) return inner_->apply(object, dry_run, field_manager);
  return write("apply", field_manager, object);
}

Json BatchingClient::replace(const Json& object) {
  return write("replace", "", object);
}

std::vector<WriteOutcome> BatchingClient::write_together(
    const std::vector<std::shared_ptr<Pending>>& batch) {
  std::vector<WriteOutcome> outcomes;
  if (batch.size() == 1) {
    // Alone: the inner client's own call, its errors as they are.
    WriteOutcome outcome;
    try {
      const Json& single = batch.front()->object;
      outcome.stored = batch.front()->verb == "replace"
                           ? inner_->replace(single)
                           : inner_->apply(single, DryRun::none, batch.front()->field_manager);
    } catch (const KubeError& error) {
      outcome.failure = error;
    } catch (const Error& error) {
      outcome.failure = KubeError(error.code(), error.what(), FailureKind::refused);
    }
    outcomes.push_back(std::move(outcome));
    return outcomes;
  }
  std::vector<Json> objects;
  for (const auto& queued : batch) objects.push_back(queued->object);
  try {
    return batch.front()->verb == "replace"
               ? writer_.replace_all(objects)
               : writer_.apply_all(objects, batch.front()->field_manager);
  } catch (const Error& error) {
    // kubectl could not run at all: nothing was written.
    for (size_t i = 0; i < batch.size(); ++i) {
      outcomes.push_back({.stored = std::nullopt,
                          .failure = KubeError(error.code(), error.what(), FailureKind::refused)});
    }
    return outcomes;
  }
}

Json BatchingClient::write(const std::string& verb, std::string_view field_manager,
                           const Json& object) {
  auto pending = std::make_shared<Pending>(
      Pending{.verb = verb, .field_manager = std::string(field_manager), .object = object});
  std::unique_lock lock(mutex_);
  queue_.push_back(pending);
  changed_.notify_all();
  while (!pending->outcome) {
    if (leading_) {
      changed_.wait(lock);
      continue;
    }
    leading_ = true;
    // Gather: the others of the wave arrive within a window of each other.
    const auto deadline = std::chrono::steady_clock::now() + most_;
    for (size_t seen = 0; seen != queue_.size() && std::chrono::steady_clock::now() < deadline;) {
      seen = queue_.size();
      changed_.wait_for(lock, window_);
    }
    // The batch: the first queued write and those of the same kind (a kubectl run does one).
    const auto& first = *queue_.front();
    std::vector<std::shared_ptr<Pending>> batch;
    std::vector<std::shared_ptr<Pending>> rest;
    constexpr size_t kMostPerRun = 100;
    for (auto& queued : queue_) {
      const bool same = queued->verb == first.verb && queued->field_manager == first.field_manager;
      (same && batch.size() < kMostPerRun ? batch : rest).push_back(queued);
    }
    queue_ = std::move(rest);
    lock.unlock();
    // kubectl writes a batch's objects one after the other: a wide wave goes out in a few runs
    // side by side.
    const size_t runs = std::min(batch.size(), kRunsAtOnce);
    const size_t per_run = (batch.size() + runs - 1) / runs;
    std::vector<WriteOutcome> outcomes(batch.size());
    for_each_parallel(runs, runs, [&](size_t run) {
      const size_t from = run * per_run;
      const size_t to = std::min(batch.size(), from + per_run);
      if (from >= to) return;
      const std::vector<std::shared_ptr<Pending>> part(batch.begin() + static_cast<long>(from),
                                                       batch.begin() + static_cast<long>(to));
      try {
        const auto written = write_together(part);
        std::copy(written.begin(), written.end(), outcomes.begin() + static_cast<long>(from));
      } catch (const std::exception& error) {
        // Whatever went wrong, every caller gets an answer (the others wait for this leader):
        // the writes may or may not have landed.
        for (size_t i = from; i < to; ++i) {
          outcomes[i].failure = KubeError(ExitCode::kubectl, error.what(), FailureKind::unknown);
        }
      }
    });
    lock.lock();
    for (size_t i = 0; i < batch.size(); ++i) batch[i]->outcome = std::move(outcomes[i]);
    leading_ = false;
    changed_.notify_all();
  }
  lock.unlock();
  if (pending->outcome->failure) throw *pending->outcome->failure;
  return *pending->outcome->stored;
}

}  // namespace cxtm::kube
