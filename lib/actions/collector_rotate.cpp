#include "actions/collector_rotate.h"

#include <fmt/format.h>

#include "config/access_token.h"
#include "core/error.h"
#include "render/manifests.h"

namespace cxtm::actions {
namespace {

// The DaemonSet as rendered, but with the live pod template's checksum/secret: what it would be
// without the new token.
Json with_live_token_checksum(Json desired, const Json& live) {
  const std::string key(render::kTokenChecksumAnnotation);
  Json& annotations = desired["spec"]["template"]["metadata"]["annotations"];
  const Json::json_pointer pointer =
      Json::json_pointer("/spec/template/metadata/annotations") / key;
  if (live.contains(pointer)) {
    annotations[key] = live.at(pointer);
  } else {
    annotations.erase(key);
  }
  return desired;
}

// rotate-token changes the token and nothing else: any other difference between the config and
// the cluster is a deploy's to make, with its own diff.
void refuse_other_changes(const config::Config& config, const CollectorPlan& plan) {
  std::vector<std::string> others;
  for (const auto& object : plan.objects) {
    if (object.change == Change::unchanged || object.ref.kind == "Secret") continue;
    if (object.ref.kind == "DaemonSet" && object.live &&
        json_covers(*object.live, with_live_token_checksum(object.desired, *object.live))) {
      continue;
    }
    others.push_back(fmt::format("{} {}", object.ref.resource_name(),
                                 object.live ? "differs from the config" : "is missing"));
  }
  if (others.empty()) return;
  throw Error(ExitCode::conflict,
              fmt::format("{}: rotate-token changes only the token. Nothing was written; run "
                          "`cxtm-o11y collector deploy --dry-run` to see the difference, deploy "
                          "it (with the new token exported, that rotates it too), or restore {}",
                          fmt::join(others, ", "), config.source));
}

// Checks 1 to 4 and 6 against the collector: its exporter got the test span through.
std::optional<std::string> exporter_problem(Context& context, const ValidateEdges& edges,
                                            const RotateTokenOptions& options,
                                            std::optional<validate::Report>& report) {
  ValidateOptions validate_options = options.validate_options;
  validate_options.services.clear();
  validate_options.scope = ValidateScope::full;
  validate_options.traffic.clear();
  report = run_validate(context, edges, validate_options);
  if (report->exit_code() == ExitCode::ok) return std::nullopt;
  for (const auto& check : report->checks) {
    if (check.status != validate::Status::fail) continue;
    return fmt::format(
        "the collector does not get through with the new token: check {} ({}) "
        "failed: {}",
        check.number, check.label(), check.summary);
  }
  return "the collector does not get through with the new token";
}

}  // namespace

RotateTokenResult rotate_token(Context& context, const ValidateEdges& edges,
                               const RotateTokenOptions& options) {
  const auto& token = context.config.splunk.access_token;
  if (token.external) {
    throw Error(ExitCode::usage,
                fmt::format("{} is made by your own tooling (splunk.access_token."
                            "external in {}): rotate the token there; `cxtm-o11y collector "
                            "deploy` then rolls the collector onto it",
                            kube::ObjectRef{"v1", "Secret", context.config.collector.namespace_,
                                            token.secret}
                                .describe(),
                            context.config.source));
  }
  if (!config::access_token_from_env(context.config)) {
    throw Error(ExitCode::usage,
                fmt::format("no new token: export {} with it (a token is never taken from the "
                            "command line)",
                            token.env.empty() ? "the variable named by splunk.access_token.env"
                                              : token.env));
  }
  RotateTokenResult result;
  CollectorDeployOptions deploy = options.deploy;
  deploy.adopt = false;
  deploy.check_plan = [&](const CollectorPlan& plan) {
    refuse_other_changes(context.config, plan);
  };
  if (options.validate && deploy.wait) {
    deploy.verify = [&] { return exporter_problem(context, edges, options, result.report); };
  }
  result.deploy = deploy_collector(context, deploy);
  if (!options.deploy.dry_run && result.deploy.code == ExitCode::ok &&
      !result.deploy.plan.changes_anything()) {
    result.deploy.message = "the Secret already holds this token and the collector uses it";
  }
  return result;
}

}  // namespace cxtm::actions
