#include "cli/global_options.h"

#include <fmt/format.h>

#include "cli/commands.h"
#include "core/secret_env.h"
#include "kube/batching_client.h"
#include "kube/kubectl_client.h"
#include "kube/proxy_client.h"
#include "kube/proxy_watch_source.h"
#include "kube/retrying_client.h"
#include "kube/watching_client.h"

namespace cxtm::cli {

config::Config GlobalOptions::load_config() const {
  auto config = config::load_config(config::config_path(config_file),
                                    {.namespace_ = namespace_, .context = context});
  // The config may name its own token variable: out of the environment before any kubectl runs.
  take_secret_env(config.splunk.access_token.env);
  for (const auto& warning : config.warnings) fmt::print(stderr, "warning: {}\n", warning);
  return config;
}

kube::KubectlOptions GlobalOptions::kubectl_options() const {
  kube::KubectlOptions options{.kubectl = kubectl, .kubeconfig = kubeconfig, .context = context};
  if (verbose) {
    options.on_command = [](const std::vector<std::string>& argv) {
      fmt::print(stderr, "+ {}\n", fmt::join(argv, " "));
    };
  }
  return options;
}

std::unique_ptr<kube::KubeClient> GlobalOptions::kube_client(
    std::shared_ptr<kube::SharedProxy> proxy) const {
  kube::RetryPolicy policy;
  if (verbose) {
    policy.on_retry = [](const kube::KubeError& error, Duration pause) {
      fmt::print(stderr, "+ retrying in {}: {}\n", format_duration(pause), error.what());
    };
  }
  // One kubectl proxy carries every request (kube/proxy_client.h), kubectl runs only what it
  // cannot; the waits share one watch per collection (kube/watching_client.h,
  // kube/proxy_watch_source.h); a wave's writes are gathered (kube/batching_client.h), so that
  // without the proxy they go out in one kubectl run; all are asked again after a passing
  // failure.
  auto client = std::make_unique<kube::ProxyClient>(
      std::make_unique<kube::KubectlClient>(kubectl_options()), proxy, kubectl_options());
  kube::BatchWriter& writer = *client;
  return std::make_unique<kube::WatchingClient>(
      std::make_unique<kube::RetryingClient>(
          std::make_unique<kube::BatchingClient>(std::move(client), writer), std::move(policy)),
      std::make_unique<kube::ProxyWatchSource>(std::move(proxy), kubectl_options()));
}

print::Format GlobalOptions::format() const {
  return print::parse_format(output).value_or(print::Format::text);
}

print::Printing GlobalOptions::printing() const {
  return {.format = format(),
          .colour = print::detect_colour(
              stdout, no_color ? print::PlainAsked::yes : print::PlainAsked::no)};
}

std::unique_ptr<print::Reporter> GlobalOptions::reporter() const {
  if (format() != print::Format::text) return std::make_unique<print::SilentReporter>();
  return std::make_unique<print::StreamReporter>(stderr, print::StreamReporter::detect(stderr));
}

std::unique_ptr<actions::Session> GlobalOptions::session() const {
  // One kubectl proxy, started when first needed, for the waits and validate alike.
  auto proxy = std::make_shared<kube::SharedProxy>(kubectl_options());
  return std::make_unique<actions::Session>(load_config(), kube_client(proxy), reporter(), proxy);
}

Duration parse_timeout(const std::string& text) {
  const auto duration = parse_duration(text);
  if (!duration || duration->count() <= 0) {
    throw Error(ExitCode::usage,
                fmt::format("--timeout: '{}' is not a duration (like 90s, 5m, 1m30s)", text));
  }
  return *duration;
}

void add_timeout_option(CLI::App& command, std::string& value, const std::string& description) {
  command.add_option("--timeout", value, description)->option_text("DUR")->capture_default_str();
}

void add_wait_flags(CLI::App& command, bool& wait, const std::string& what) {
  command.add_flag_callback(
      "--wait", [&wait] { wait = true; }, fmt::format("Wait for {} (the default)", what));
  command.add_flag_callback(
      "--no-wait", [&wait] { wait = false; }, "Return once the change is written, without waiting");
}

void add_poll_interval_flag(CLI::App& command, std::string& value) {
  command
      .add_option("--poll-interval", value,
                  "How often a wait looks again when it cannot watch (default 2s)")
      ->option_text("DUR")
      ->group("");
}

Duration parse_poll_interval(const std::string& text) {
  const auto duration = parse_duration(text);
  if (!duration || duration->count() <= 0) {
    throw Error(ExitCode::usage,
                fmt::format("--poll-interval: '{}' is not a duration (like 2s, 500ms)", text));
  }
  return *duration;
}

void add_global_flags(CLI::App& app, GlobalOptions& options) {
  app.add_option("-c,--config", options.config_file,
                 "Config file (default: $CXTM_O11Y_CONFIG, else ./cxtm-o11y.yaml)")
      ->option_text("FILE");
  app.add_option("--kubeconfig", options.kubeconfig,
                 "kubeconfig file for kubectl (default: $KUBECONFIG, else ~/.kube/config)")
      ->option_text("FILE");
  app.add_option("--context", options.context,
                 "kubeconfig context to use; a,b,c runs the command once per context (so does a "
                 "config with contexts:)")
      ->option_text("NAME[,NAME...]");
  app.add_option("-n,--namespace", options.namespace_,
                 "Namespace of the services (overrides the config's namespace)")
      ->option_text("NS");
  app.add_option("--kubectl", options.kubectl, "kubectl binary to run")->option_text("PATH");
  app.add_option("-o,--output", options.output, "Output format")
      ->check(CLI::IsMember({"text", "json", "yaml"}))
      ->option_text("text|json|yaml");
  app.add_flag("-v,--verbose", options.verbose,
               "Show each kubectl command and API request before it runs");
  app.add_flag("--no-color", options.no_color,
               "No colour in text output (also: NO_COLOR set, or output not a terminal)");
}

}  // namespace cxtm::cli
