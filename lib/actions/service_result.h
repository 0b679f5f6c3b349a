#pragma once
// What a per-service command (instrument, rollback) did to one service: one result line each,
// and the details behind it for -o json.

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/json.h"
#include "rollout/rollout.h"

namespace cxtm::actions {

enum class ServiceOutcome {
  instrumented,  // written and rolled out
  upgraded,      // instrumented before with another spec; now the new one
  unchanged,     // nothing to do; nothing written
  would_change,  // --dry-run: the diff below would be written
  rolled_back,   // rollback: the tool's change taken out (--exact: the original is back)
  failed,        // see code and message; the cluster is as `message` says
};

std::string_view outcome_name(ServiceOutcome outcome);

struct ServiceResult {
  std::string service;
  std::string deployment;  // namespace/name
  ServiceOutcome outcome = ServiceOutcome::failed;
  ExitCode code = ExitCode::ok;
  std::string message;         // one line
  std::string diff;            // unified YAML diff of the pod template
  Json patch = Json::array();  // RFC 6902 JSON patch of the Deployment
  std::vector<std::string> warnings;
  std::vector<std::string> notes;    // what the change handles for the app (instrument)
  std::vector<std::string> backups;  // where backups were written
  std::vector<std::string> files;    // --output-dir: the files written or removed
  std::optional<rollout::RolloutResult> rollout;
  std::vector<std::string> log_tails;  // "pod/container:\n<lines>" of failing containers
  // rollback: what the tool could not attribute and left as it is
  std::vector<std::string> left_alone;
  // rollback --exact: the original restored, and what it takes away that the tool did not add
  // (a unified diff); an unverified original's pod template in full (YAML)
  std::string original_location;
  bool original_verified = true;
  std::string taken_away;
  std::string unverified_template;
  std::string copies_differ;  // the diff of the two stored copies when --exact refused for it

  Json to_json() const;
};

// Whether a dry run found something to do: some result would change.
bool changes_pending(const std::vector<ServiceResult>& results);

// The exit code of several results: the first failure's code, else ok.
ExitCode combined_code(const std::vector<ServiceResult>& results);

// The JSON form of a rollout, shared by every command that waits.
Json rollout_to_json(const rollout::RolloutResult& rollout);

// "3 instrumented, 1 unchanged, 1 failed": how many results ended each way, in the order of
// ServiceOutcome, those with none left out.
std::string summarize(const std::vector<ServiceResult>& results);

}  // namespace cxtm::actions
