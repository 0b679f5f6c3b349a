#pragma once
// Writes of many objects in one kubectl run: a fleet's backups, then its Deployments, each wave
// one kubectl process instead of one per service (a kubectl start costs a CPU for 50-150 ms and
// ~45 MiB). kubectl goes on past an object that fails and names it in its error line, so each
// object gets its own outcome: as stored, or the KubeError a write of it alone would have
// thrown. An object kubectl neither answered nor named may or may not have been written
// (FailureKind::unknown): its caller reads it again, as after any lost answer.

#include <optional>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "kube/kube_client.h"
#include "kube/process.h"

namespace cxtm::kube {

class BatchWriter {
 public:
  virtual ~BatchWriter() = default;
  // Replaces each object (its metadata.resourceVersion a precondition); outcomes in order.
  virtual std::vector<WriteOutcome> replace_all(const std::vector<Json>& objects) = 0;
  // Server-side applies each object as field_manager, taking over conflicts; outcomes in order.
  virtual std::vector<WriteOutcome> apply_all(const std::vector<Json>& objects,
                                              std::string_view field_manager) = 0;
};

// Pure: the outcome of each object from one kubectl run that wrote them all (`verb`: "replace",
// "apply"): the objects kubectl printed (-o json, one document or List each), the error lines
// naming an object, and the run's own failure for the rest.
std::vector<WriteOutcome> batch_outcomes(std::string_view verb, const std::vector<Json>& objects,
                                         const ProcessResult& result);

// The top-level JSON values of text, one after the other, as text (kubectl prints one document
// per object it wrote).
std::vector<std::string> json_documents(std::string_view text);

}  // namespace cxtm::kube
