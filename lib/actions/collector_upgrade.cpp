#include "actions/collector_upgrade.h"

#include <fmt/core.h>

#include "config/collector_version.h"
#include "core/error.h"

namespace cxtm::actions {
namespace {

// The running collector's version: its container image's tag.
std::string running_version(Context& context) {
  const auto& collector = context.config.collector;
  const kube::ObjectRef ref{"apps/v1", "DaemonSet", collector.namespace_, collector.name};
  const auto live = context.kube.get(ref);
  if (!live) {
    throw Error(ExitCode::not_found,
                fmt::format("{} not found: nothing to upgrade; deploy it with `cxtm-o11y "
                            "collector deploy`",
                            ref.resource_name()));
  }
  const Json::json_pointer image("/spec/template/spec/containers/0/image");
  const std::string text = live->contains(image) ? live->at(image).get<std::string>() : "";
  const auto colon = text.rfind(':');
  const auto slash = text.rfind('/');
  if (colon == std::string::npos || (slash != std::string::npos && colon < slash)) return "";
  return text.substr(colon + 1);
}

}  // namespace

UpgradeResult upgrade_collector(Context& context, const UpgradeOptions& options) {
  UpgradeResult result{.to = context.config.collector.version};
  if (!options.to.empty()) {
    const auto version = config::parse_collector_version(options.to);
    if (!version) {
      throw Error(ExitCode::usage, fmt::format("--to: '{}' {}", options.to,
                                               *config::collector_version_problem(options.to)));
    }
    result.to = version->text();  // the image tag: "0.149.0", never "v0.149.0"
  }
  result.pinned = result.to == context.config.collector.version;
  result.from = running_version(context);
  config::Config target = context.config;
  target.collector.version = result.to;
  Context upgraded{target, context.kube, context.reporter};
  result.deploy = deploy_collector(upgraded, options.deploy);
  return result;
}

}  // namespace cxtm::actions
