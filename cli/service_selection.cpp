#include "cli/service_selection.h"

#include "actions/services.h"

namespace cxtm::cli {

void add_service_selection(CLI::App& command, ServiceSelection& selection, bool all_by_default) {
  command
      .add_option(
          "services", selection.names,
          all_by_default ? "Services (default: all in the config)" : "Services from the config")
      ->option_text("SERVICE...");
  if (!all_by_default) command.add_flag("--all", selection.all, "Every service in the config");
  command
      .add_option("-l,--selector", selection.selector,
                  "The Deployments of the namespace with these labels (team=cxtm); those the "
                  "config does not list get its defaults")
      ->option_text("SELECTOR");
}

std::vector<const config::ServiceSettings*> selected_services(actions::Session& session,
                                                              const ServiceSelection& selection,
                                                              bool all_by_default) {
  if (selection.selector.empty()) {
    return actions::select_services(session.config(), selection.names,
                                    selection.all || (all_by_default && selection.names.empty()));
  }
  if (!selection.names.empty() || selection.all) {
    throw Error(ExitCode::usage, "choose services by name, --all or -l, one of them");
  }
  return actions::select_by_label(session.config(), session.context().kube, selection.selector);
}

}  // namespace cxtm::cli
