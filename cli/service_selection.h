#pragma once
// How per-service commands (instrument, rollback, status) choose their services: named, --all,
// or -l SELECTOR over the namespace's Deployments (those the config does not list get its
// defaults).

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/global_options.h"

namespace cxtm::cli {

struct ServiceSelection {
  std::vector<std::string> names;
  bool all = false;
  std::string selector;
};

// The positional SERVICE..., --all (unless all_by_default: no names means all) and -l.
void add_service_selection(CLI::App& command, ServiceSelection& selection,
                           bool all_by_default = false);

// The services the selection names; -l reads the cluster (and adds the unlisted ones to the
// session's config). Error(usage) for -l with names or --all.
std::vector<const config::ServiceSettings*> selected_services(actions::Session& session,
                                                              const ServiceSelection& selection,
                                                              bool all_by_default = false);

}  // namespace cxtm::cli
