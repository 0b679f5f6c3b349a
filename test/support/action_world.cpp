#include "support/action_world.h"

#include <doctest/doctest.h>

#include "core/atomic_file.h"
#include "support/cluster_cli.h"

namespace cxtm::testing {
namespace {

config::Config poc_config(const std::filesystem::path& state_dir) {
  std::string text = read_file(CXTM_SOURCE_DIR "/examples/cxtm-poc.yaml");
  if (!text.ends_with('\n')) text += '\n';
  text += "state_dir: " + state_dir.string() + "\n";
  return config::parse_config(text, "cxtm-poc.yaml", {});
}

}  // namespace

ActionWorld::ActionWorld()
    : config_(poc_config(dir_.path() / "state")),
      local_backups_(dir_.path() / "state" / "backups"),
      context_{config_, kube, reporter_, time} {
  kube.put(corpus_deployment("cxtm-scheduler-poc"));
  kube.put(corpus_deployment("cxtm-notifications-poc"));
}

std::vector<const config::ServiceSettings*> ActionWorld::services(
    const std::vector<std::string>& names) {
  std::vector<const config::ServiceSettings*> found;
  for (const auto& name : names) {
    const auto* service = config_.find_service(name);
    REQUIRE_MESSAGE(service != nullptr, name);
    found.push_back(service);
  }
  return found;
}

Json ActionWorld::deployment(const std::string& name) const {
  const auto stored = kube.stored("Deployment", config_.namespace_, name);
  REQUIRE_MESSAGE(stored.has_value(), name);
  return *stored;
}

}  // namespace cxtm::testing
