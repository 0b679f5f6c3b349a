#pragma once
// What a unit test of an action needs, in memory: the POC's config, a FakeKubeClient holding
// the POC's Deployments, a silent reporter, a clock that moves only when waited on, and backup
// stores (a local one in a temporary directory, no cluster copy). No process, no server, no sleep.

#include <string>
#include <vector>

#include "actions/context.h"
#include "backup/local_store.h"
#include "backup/no_cluster_store.h"
#include "config/config.h"
#include "print/reporter.h"
#include "support/fake_kube_client.h"
#include "support/manual_time.h"
#include "support/temp_dir.h"

namespace cxtm::testing {

class ActionWorld {
 public:
  // The POC's config (examples/cxtm-poc.yaml) with its state in a temporary directory, and
  // the POC's two Deployments (test/testdata/deployments/cxtm-*-poc.json) stored.
  ActionWorld();

  actions::Context& context() { return context_; }
  actions::BackupStores stores() { return {local_backups_, cluster_backups_}; }
  // The configured services, by name, for an action's list.
  std::vector<const config::ServiceSettings*> services(const std::vector<std::string>& names);
  // The Deployment as stored now.
  Json deployment(const std::string& name) const;

  ManualTime time;  // the actions' waits and pauses pass on it at once
  FakeKubeClient kube{&time};

 private:
  TempDir dir_;
  config::Config config_;
  print::SilentReporter reporter_;
  backup::LocalBackupStore local_backups_;
  backup::NoClusterStore cluster_backups_;
  actions::Context context_;
};

}  // namespace cxtm::testing
