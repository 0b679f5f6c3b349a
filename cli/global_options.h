#pragma once
// Flags every command shares (kubectl's names), and what commands build from them.

#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "actions/context.h"
#include "actions/instrument.h"
#include "backup/cluster_store.h"
#include "backup/local_store.h"
#include "backup/no_cluster_store.h"
#include "config/config.h"
#include "core/error.h"
#include "kube/kube_client.h"
#include "kube/kubectl_client.h"
#include "print/format.h"
#include "print/reporter.h"

namespace cxtm::cli {

// What a command that talks to the cluster works with, built once from the global flags.
struct Session {
  Session(config::Config config_in, std::unique_ptr<kube::KubeClient> kube_in,
          std::unique_ptr<print::Reporter> reporter_in)
      : config(std::move(config_in)),
        kube(std::move(kube_in)),
        reporter(std::move(reporter_in)),
        local_backups(std::make_unique<backup::LocalBackupStore>(
            backup::LocalBackupStore::root_for(config.state_dir, config.cluster),
            backup::LocalBackupStore::root_for(config.state_dir, config.cluster)
                .parent_path()
                .parent_path())),
        cluster_backups(config.backup_cluster_copy
                            ? std::unique_ptr<backup::BackupStore>(
                                  std::make_unique<backup::ClusterBackupStore>(*kube))
                            : std::make_unique<backup::NoClusterStore>()),
        context{config, *kube, *reporter} {}
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  config::Config config;
  std::unique_ptr<kube::KubeClient> kube;
  std::unique_ptr<print::Reporter> reporter;
  std::unique_ptr<backup::LocalBackupStore> local_backups;
  std::unique_ptr<backup::BackupStore> cluster_backups;
  actions::Context context;

  actions::BackupStores stores() { return {*local_backups, *cluster_backups}; }
};

struct GlobalOptions {
  std::string config_file;  // -c; else $CXTM_O11Y_CONFIG, else ./cxtm-o11y.yaml
  std::string kubeconfig;   // --kubeconfig; else $KUBECONFIG through kubectl
  std::string context;
  std::string namespace_;
  std::string kubectl = "kubectl";
  std::string output = "text";
  bool verbose = false;
  bool no_color = false;
  // When the command began, for the wall time its summary line gives.
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  // How long the command has run, for its summary line.
  Duration elapsed() const {
    return std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - started);
  }

  config::Config load_config() const;
  // kubectl's binary and global flags; -v shows each command.
  kube::KubectlOptions kubectl_options() const;
  std::unique_ptr<kube::KubeClient> kube_client() const;
  print::Format format() const;
  // The format, and colour for text on a terminal unless --no-color or NO_COLOR.
  print::Printing printing() const;
  // Progress and notes on stderr; silent for -o json/yaml so stdout stays one document.
  std::unique_ptr<print::Reporter> reporter() const;
  // Config, kubectl client, reporter and backup stores, ready for an action.
  std::unique_ptr<Session> session() const;
};

// Adds the shared flags to the root app; subcommands inherit them.
void add_global_flags(CLI::App& app, GlobalOptions& options);

// The exit code the command chose; set by subcommand callbacks.
struct CommandOutcome {
  ExitCode code = ExitCode::ok;
  bool changes_pending = false;  // a dry run found something to do (--detailed-exitcode)
};

}  // namespace cxtm::cli
