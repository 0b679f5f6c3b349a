#pragma once
// What every action that touches the cluster needs, injected once (helm's Configuration).

#include "config/config.h"
#include "kube/kube_client.h"
#include "print/reporter.h"

namespace cxtm::actions {

struct Context {
  const config::Config& config;
  kube::KubeClient& kube;
  print::Reporter& reporter;
};

}  // namespace cxtm::actions
