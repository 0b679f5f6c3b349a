#include <fmt/core.h>

#include "actions/backup_commands.h"
#include "actions/services.h"
#include "cli/commands.h"
#include "core/yaml_emit.h"

namespace cxtm::cli {
namespace {

const config::ServiceSettings& one_service(const config::Config& config, const std::string& name) {
  return *actions::select_services(config, {name}, false).front();
}

}  // namespace

void setup_backup(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  CLI::App* backup =
      app.add_subcommand("backup", "List, show or take backups of service Deployments");
  backup->require_subcommand(1);
  backup->footer(
      "Each original is kept locally (0600) and in a ConfigMap cxtm-o11y-backup-<deployment>\n"
      "beside the Deployment. The ConfigMap holds the pod template as it was, literal env values\n"
      "included (a DB_PASSWORD written inline in the Deployment), for anyone who may read\n"
      "ConfigMaps in the namespace; `backup: {cluster_copy: false}` in the config keeps\n"
      "originals on this machine only.");

  CLI::App* list = backup->add_subcommand("list", "Every backup, in the cluster and locally");
  list->callback([&global, &outcome] {
    auto session = global.session();
    const auto listed = actions::list_backups(session->context(), session->stores());
    Json items = Json::array();
    for (const auto& [store, stored] : listed) {
      items.push_back({{"store", store},
                       {"service", stored.backup.service},
                       {"deployment", stored.backup.ref().namespaced_name()},
                       {"role", backup::role_name(stored.backup.role)},
                       {"createdAt", stored.backup.created_at},
                       {"sha256", stored.backup.sha256},
                       {"location", stored.location}});
    }
    if (global.format() != print::Format::text) {
      fmt::print("{}", print::format_document(Json{{"backups", items}}, global.format()));
    } else {
      fmt::print("{:<8} {:<16} {:<9} {:<21} {}\n", "STORE", "SERVICE", "ROLE", "CREATED",
                 "LOCATION");
      for (const auto& item : items) {
        fmt::print("{:<8} {:<16} {:<9} {:<21} {}\n", item["store"].get<std::string>(),
                   item["service"].get<std::string>(), item["role"].get<std::string>(),
                   item["createdAt"].get<std::string>(), item["location"].get<std::string>());
      }
    }
    outcome.code = ExitCode::ok;
  });

  auto show_name = std::make_shared<std::string>();
  CLI::App* show = backup->add_subcommand("show", "Print a service's original backup");
  show->add_option("service", *show_name, "The service")->required();
  show->callback([show_name, &global, &outcome] {
    auto session = global.session();
    std::vector<std::string> warnings;
    const auto stored = actions::show_backup(session->context(), session->stores(),
                                             one_service(session->config(), *show_name), warnings);
    for (const auto& warning : warnings) fmt::print(stderr, "warning: {}\n", warning);
    if (global.format() == print::Format::json) {
      fmt::print("{}", print::format_document(stored.backup.to_json(), print::Format::json));
    } else {
      fmt::print("# {} backup of {}, taken {} by cxtm-o11y {}, sha256 {}\n# from {}\n",
                 backup::role_name(stored.backup.role), stored.backup.ref().namespaced_name(),
                 stored.backup.created_at, stored.backup.tool_version, stored.backup.sha256,
                 stored.location);
      fmt::print("{}", to_yaml(stored.backup.object));
    }
    outcome.code = ExitCode::ok;
  });

  auto create_name = std::make_shared<std::string>();
  CLI::App* create =
      backup->add_subcommand("create", "Back up a service's Deployment as it is now");
  create->add_option("service", *create_name, "The service")->required();
  create->callback([create_name, &global, &outcome] {
    auto session = global.session();
    const auto written = actions::create_backup(session->context(), session->stores(),
                                                one_service(session->config(), *create_name));
    if (global.format() != print::Format::text) {
      fmt::print("{}", print::format_document(Json{{"written", written}}, global.format()));
    } else {
      for (const auto& location : written) fmt::print("snapshot written to {}\n", location);
    }
    outcome.code = ExitCode::ok;
  });
}

}  // namespace cxtm::cli
