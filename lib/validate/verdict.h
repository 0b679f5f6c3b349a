#pragma once
// How a check's findings add up: the first failure's remedy is the check's, a warning counts
// only while nothing failed.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "validate/report.h"

namespace cxtm::validate {

struct Verdict {
  CheckResult& result;

  void fail(std::string detail, std::string remedy) {
    result.details.push_back(std::move(detail));
    if (result.status != Status::fail) result.remedy = std::move(remedy);
    result.status = Status::fail;
  }
  void warn(std::string detail, std::string remedy) {
    result.details.push_back(std::move(detail));
    if (result.status == Status::pass) {
      result.status = Status::warn;
      result.remedy = std::move(remedy);
    }
  }
};

// One failure per node that runs pods of a service (node -> its pods) but no ready collector
// pod: their spans are lost.
void fail_uncovered_nodes(Verdict& verdict,
                          const std::map<std::string, std::vector<std::string>>& uncovered);

// The status of the container name in a pod's status.<list> ("containerStatuses",
// "initContainerStatuses"), or nullptr.
const Json* container_status(const Json& pod, std::string_view list, std::string_view name);

}  // namespace cxtm::validate
