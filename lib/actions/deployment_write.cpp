#include "actions/deployment_write.h"

#include <fmt/core.h>

#include "core/error.h"
#include "instrument/owned.h"

namespace cxtm::actions {
namespace {

// The live Deployment again, for deciding after a conflict or a lost answer.
Json read_again(kube::KubeClient& kube, const Json& live, const std::string& after) {
  const auto ref = kube::ObjectRef::of(live);
  try {
    if (auto now = kube.get(ref)) return *now;
  } catch (const Error& error) {
    throw Error(error.code(), fmt::format("{}; reading {} again to see where it stands failed: {}",
                                          after, ref.describe(), error.what()));
  }
  throw Error(ExitCode::not_found, fmt::format("{}; {} is gone", after, ref.describe()));
}

}  // namespace

bool moved_under_us(const Json& read, const Json& now) {
  return !same_json(member_at(read, {"spec", "template"}), member_at(now, {"spec", "template"})) ||
         !same_json(instrument::tool_markers(read), instrument::tool_markers(now));
}

bool write_landed(const Json& read, const Json& sent, const Json& now) {
  return integer_member(member(now, "metadata"), "generation") >
             integer_member(member(read, "metadata"), "generation") &&
         same_json(instrument::tool_markers(now), instrument::tool_markers(sent));
}

WrittenDeployment write_deployment(kube::KubeClient& kube, const Json& live,
                                   const DeploymentChange& change, const WriteLimits& limits) {
  const auto start = limits.time->now();
  WrittenDeployment result{.before = live};
  const auto ref = kube::ObjectRef::of(live);
  for (;; ++result.attempts) {
    const Json sent = kube::for_update(change(result.before));
    try {
      result.written = kube.replace(sent);
      return result;
    } catch (const kube::KubeError& error) {
      const bool conflict = error.code() == ExitCode::conflict;
      if (!conflict && error.kind() != kube::FailureKind::unknown) throw;
      const Json now = read_again(kube, live, error.what());
      if (!conflict && write_landed(result.before, sent, now)) {
        result.written = now;
        return result;
      }
      if (moved_under_us(result.before, now)) {
        throw Error(ExitCode::conflict,
                    fmt::format("{} was changed by someone else since it was read (its pod "
                                "template or the cxtm-o11y.io annotations); nothing was written: "
                                "look at the change and run the command again",
                                ref.describe()));
      }
      if (result.attempts >= limits.attempts || limits.time->now() - start >= limits.budget) {
        throw Error(error.code(), fmt::format("{} (after {} attempt{})", error.what(),
                                              result.attempts, result.attempts == 1 ? "" : "s"));
      }
      result.before = now;
    }
  }
}

}  // namespace cxtm::actions
