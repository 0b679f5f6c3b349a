#pragma once
// Flags every command shares (kubectl's names), and what commands build from them.

#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "actions/session.h"
#include "config/config.h"
#include "core/error.h"
#include "kube/kube_client.h"
#include "kube/kubectl_client.h"
#include "print/format.h"
#include "print/reporter.h"

namespace cxtm::cli {

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
  // The kubectl client; its waits' lists and watches go through proxy.
  std::unique_ptr<kube::KubeClient> kube_client(std::shared_ptr<kube::SharedProxy> proxy) const;
  print::Format format() const;
  // The format, and colour for text on a terminal unless --no-color or NO_COLOR.
  print::Printing printing() const;
  // Progress and notes on stderr; silent for -o json/yaml so stdout stays one document.
  std::unique_ptr<print::Reporter> reporter() const;
  // Config, kubectl client, reporter, backup stores and validate's HTTP, ready for an action.
  std::unique_ptr<actions::Session> session() const;
};

// Adds the shared flags to the root app; subcommands inherit them.
void add_global_flags(CLI::App& app, GlobalOptions& options);

// The exit code the command chose; set by subcommand callbacks.
struct CommandOutcome {
  ExitCode code = ExitCode::ok;
  bool changes_pending = false;  // a dry run found something to do (--detailed-exitcode)
};

}  // namespace cxtm::cli
