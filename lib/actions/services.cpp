#include "actions/services.h"

#include <fmt/core.h>

#include <set>

#include "config/k8s_names.h"
#include "config/python_packages.h"
#include "core/error.h"
#include "instrument/operator_injection.h"
#include "instrument/owned.h"
#include "rollout/template_pods.h"

namespace cxtm::actions {

std::vector<const config::ServiceSettings*> select_services(const config::Config& config,
                                                            const std::vector<std::string>& names,
                                                            bool all) {
  if (all && !names.empty()) {
    throw Error(ExitCode::usage, "name services or give --all, not both");
  }
  std::vector<const config::ServiceSettings*> selected;
  if (all) {
    for (const auto& service : config.services) selected.push_back(&service);
    if (selected.empty())
      throw Error(ExitCode::usage, fmt::format("{}: no services configured", config.source));
    return selected;
  }
  if (names.empty()) throw Error(ExitCode::usage, "name at least one service, or give --all");
  for (const auto& name : names) {
    const auto* service = config.find_service(name);
    if (service == nullptr) {
      std::string known;
      for (const auto& s : config.services) known += (known.empty() ? "" : ", ") + s.name;
      throw Error(ExitCode::usage, fmt::format("unknown service '{}' (configured in {}: {})", name,
                                               config.source, known.empty() ? "none" : known));
    }
    if (std::find(selected.begin(), selected.end(), service) == selected.end())
      selected.push_back(service);
  }
  return selected;
}

config::ServiceSettings default_service(const config::Config& config, const Json& deployment) {
  const Json& metadata = object_member(deployment, "metadata");
  const std::string name = string_member(metadata, "name");
  return {.name = name,
          .deployment = name,
          .container = "",
          .selector = rollout::pod_selector(deployment),
          .namespace_ = string_member(metadata, "namespace"),
          .otel_service_name = name,
          .instrumentation = config.instrumentation,
          .alerts = config.alerts};
}

std::vector<const config::ServiceSettings*> select_by_label(config::Config& config,
                                                            kube::KubeClient& kube,
                                                            const std::string& selector) {
  if (auto problem = config::label_selector_problem(selector)) {
    throw Error(ExitCode::usage, fmt::format("-l '{}': {}", selector, *problem));
  }
  std::vector<Json> matched = kube.list("deployments.apps", config.namespace_, selector);
  if (matched.empty()) {
    throw Error(ExitCode::not_found, fmt::format("no Deployment in namespace {} matches -l {}",
                                                 config.namespace_, selector));
  }
  std::sort(matched.begin(), matched.end(), [](const Json& a, const Json& b) {
    return string_member(a["metadata"], "name") < string_member(b["metadata"], "name");
  });
  // The configured service of each, else the defaults, added first: pointers come after.
  std::vector<std::string> chosen;  // service names
  for (const Json& deployment : matched) {
    const std::string name = string_member(deployment["metadata"], "name");
    const auto listed = std::find_if(config.services.begin(), config.services.end(),
                                     [&](const config::ServiceSettings& service) {
                                       return service.deployment == name &&
                                              config.namespace_of(service) == config.namespace_;
                                     });
    if (listed != config.services.end()) {
      chosen.push_back(listed->name);
      continue;
    }
    if (config.find_service(name) != nullptr) {
      throw Error(ExitCode::usage,
                  fmt::format("-l {} matches Deployment {}, whose name a configured service of "
                              "another Deployment has; list it in {} under another name",
                              selector, name, config.source));
    }
    config.services.push_back(default_service(config, deployment));
    chosen.push_back(name);
  }
  std::vector<const config::ServiceSettings*> selected;
  for (const auto& service : chosen) selected.push_back(config.find_service(service));
  return selected;
}

instrument::InstrumentationSpec spec_for(const config::Config& config,
                                         const config::ServiceSettings& service) {
  using instrument::PackageSource;
  const auto& settings = service.instrumentation;
  // The config has validated the name; only the settings of the chosen source go into the
  // spec, so that a setting the source does not use cannot change the spec's hash.
  const PackageSource source =
      instrument::parse_package_source(settings.source).value_or(PackageSource::index);
  const bool index = source == PackageSource::index;
  instrument::InstrumentationSpec spec{
      .service_name = service.otel_service_name,
      .container = service.container,
      .otlp_endpoint = config.otlp_http_endpoint(),
      .environment = config.environment,
      .service_namespace = config.namespace_of(service),
      .packages = config::python_packages(),
      .extras = settings.extras,
      .exclude = settings.exclude,
      .init_image = settings.init_image,
      .index_url = index ? settings.index_url : "",
      .extra_index_url = index ? settings.extra_index_url : "",
      .trusted_host = index ? settings.trusted_host : "",
      .source = source,
      .init_requests = {settings.requests.cpu, settings.requests.memory},
      .init_limits = {settings.limits.cpu, settings.limits.memory}};
  if (source == PackageSource::wheelhouse) {
    spec.wheelhouse = {settings.wheelhouse.image, settings.wheelhouse.path};
  }
  if (source == PackageSource::prebuilt) {
    spec.prebuilt = {settings.prebuilt.image, settings.prebuilt.path};
  }
  spec.injector =
      instrument::parse_injector(settings.via).value_or(instrument::Injector::init_container);
  spec.operator_image = settings.operator_image.empty()
                            ? instrument::default_operator_image(spec.packages)
                            : settings.operator_image;
  return spec;
}

instrument::InstrumentationSpec spec_for_workload(const config::Config& config,
                                                  const config::ServiceSettings& service,
                                                  const Json& workload,
                                                  std::optional<instrument::Injector> chosen) {
  auto spec = spec_for(config, service);
  if (chosen) {
    spec.injector = *chosen;
  } else if (service.instrumentation.via.empty() && instrument::instrumented_by_us(workload)) {
    spec.injector = instrument::injected_by_operator(workload)
                        ? instrument::Injector::operator_
                        : instrument::Injector::init_container;
  }
  return spec;
}

kube::ObjectRef workload_ref(const config::Config& config, const config::ServiceSettings& service) {
  return {"apps/v1", service.kind, config.namespace_of(service), service.deployment};
}

void read_in_bulk(const config::Config& config, kube::KubeClient& kube,
                  const std::vector<const config::ServiceSettings*>& services, BulkRead what) {
  const bool follow = what == BulkRead::follow_rollouts;
  if (services.size() < 2 && !follow) return;
  std::set<std::pair<std::string, std::string>> collections;  // kind, namespace
  std::set<std::string> namespaces;
  for (const auto* service : services) {
    const auto ref = workload_ref(config, *service);
    collections.emplace(ref.kind, ref.namespace_);
    namespaces.insert(ref.namespace_);
  }
  for (const auto& [kind, namespace_] : collections) kube.read_in_bulk(kind, namespace_, follow);
  if (what == BulkRead::deployments_and_pods) {
    for (const auto& namespace_ : namespaces) kube.read_in_bulk("Pod", namespace_, false);
  }
}

size_t wave_width(int parallel, size_t services) {
  const size_t cap = parallel > 0 ? static_cast<size_t>(parallel) : static_cast<size_t>(kMaxWave);
  return std::max<size_t>(1, std::min(cap, services));
}

}  // namespace cxtm::actions
