#pragma once
// Flags every command shares (kubectl's names), and what commands build from them.

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "config/config.h"
#include "core/error.h"
#include "kube/kube_client.h"
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

  config::Config load_config() const;
  std::unique_ptr<kube::KubeClient> kube_client() const;
  print::Format format() const;
  // Progress and notes on stderr; silent for -o json/yaml so stdout stays one document.
  std::unique_ptr<print::Reporter> reporter() const;
};

// Adds the shared flags to the root app; subcommands inherit them.
void add_global_flags(CLI::App& app, GlobalOptions& options);

// The exit code the command chose; set by subcommand callbacks.
struct CommandOutcome {
  ExitCode code = ExitCode::ok;
};

}  // namespace cxtm::cli
