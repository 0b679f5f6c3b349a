#pragma once
// What every action that touches the cluster needs, injected once (helm's Configuration).

#include "backup/backup_store.h"
#include "config/config.h"
#include "core/time_source.h"
#include "kube/kube_client.h"
#include "print/reporter.h"

namespace cxtm::actions {

struct Context {
  const config::Config& config;
  kube::KubeClient& kube;
  print::Reporter& reporter;
  TimeSource& time = system_time();  // the waits' and pauses' clock
};

// Where originals are kept: on this machine, and a copy in the cluster.
struct BackupStores {
  backup::BackupStore& local;
  backup::BackupStore& cluster;
};

}  // namespace cxtm::actions
