#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "core/error.h"

int main(int argc, char** argv) {
  CLI::App app{"cxtm-o11y: bring Python services on Kubernetes into Splunk Observability Cloud"};
  app.set_version_flag("--version", std::string("cxtm-o11y ") + CXTM_VERSION);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return 0;
}
