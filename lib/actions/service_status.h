#pragma once
// `cxtm-o11y status [SERVICE...]`: per service, is it instrumented (and with which spec), is it
// ready, how did the installer do in the current pods, and where are its backups.

#include <optional>
#include <string>
#include <vector>

#include "actions/context.h"
#include "actions/instrument.h"
#include "core/json.h"
#include "instrument/installer_report.h"

namespace cxtm::actions {

struct ServiceStatus {
  std::string service;
  std::string deployment;  // namespace/name
  bool found = false;
  std::string state;  // not instrumented | instrumented | outdated | POC partial
  std::string tool_version;
  std::string spec_hash;
  // Who wrote the tool's change: "cxtm-o11y" (a live instrument) or "git" (a patch from
  // `instrument --output-dir`, applied by writer); "" when not instrumented.
  std::string via;
  std::string writer;
  // Who injects the packages: "init-container" (the tool's installer) or "operator"; "" when
  // not instrumented by the tool.
  std::string injector;
  std::string gitops;  // the GitOps controller managing the Deployment ("Argo CD", "Flux") or ""
  int desired = 0;
  int ready = 0;
  std::vector<std::string> installer;  // per pod: "pod: completed" / "pod: running" / the problem
  // What the installer of one current pod says it did (its log): the distributions it added,
  // the app's own it kept, and how many of the app's the volume overrides (0 by design).
  std::optional<instrument::InstallerReport> volume;
  std::vector<std::string> drift;  // changed since instrumenting by someone else
  bool backup_local = false;
  bool backup_cluster = false;
  std::string error;  // when the Deployment could not be read

  Json to_json() const;
};

std::vector<ServiceStatus> service_statuses(
    Context& context, BackupStores stores,
    const std::vector<const config::ServiceSettings*>& services);

}  // namespace cxtm::actions
