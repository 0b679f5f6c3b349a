#include "actions/services.h"

#include <fmt/core.h>

#include <set>

#include "config/python_packages.h"
#include "core/error.h"

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
      .service_namespace = config.namespace_,
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
  return spec;
}

kube::ObjectRef deployment_ref(const config::Config& config,
                               const config::ServiceSettings& service) {
  return {"apps/v1", "Deployment", config.namespace_, service.deployment};
}

void read_in_bulk(const config::Config& config, kube::KubeClient& kube,
                  const std::vector<const config::ServiceSettings*>& services, BulkRead what) {
  const bool follow = what == BulkRead::follow_rollouts;
  if (services.size() < 2 && !follow) return;
  std::set<std::string> namespaces;
  for (const auto* service : services)
    namespaces.insert(deployment_ref(config, *service).namespace_);
  for (const auto& namespace_ : namespaces) {
    kube.read_in_bulk("Deployment", namespace_, follow);
    if (what == BulkRead::deployments_and_pods) kube.read_in_bulk("Pod", namespace_, false);
  }
}

size_t wave_width(int parallel, size_t services) {
  const size_t cap = parallel > 0 ? static_cast<size_t>(parallel) : static_cast<size_t>(kMaxWave);
  return std::max<size_t>(1, std::min(cap, services));
}

}  // namespace cxtm::actions
