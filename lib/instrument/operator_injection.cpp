#include "instrument/operator_injection.h"

#include <fmt/core.h>

#include <array>

#include "core/error.h"
#include "instrument/env_merge.h"
#include "instrument/object_edit.h"
#include "instrument/owned.h"

namespace cxtm::instrument {
namespace {

constexpr std::string_view kOperatorImageRepository =
    "ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-python";
constexpr std::string_view kOperator = "operator";

// The annotations ask_operator writes on the pod template, which remove_operator_request takes
// out again.
constexpr std::array<std::string_view, 5> kRequestAnnotations = {
    kAnnotationInjectPython, kAnnotationPythonContainers, kAnnotationPythonPlatform,
    kAnnotationResourceServiceName, kAnnotationInjector};

// musl-based images (Alpine) need the image's musl build of the packages.
bool musl_image(std::string_view image) {
  return image.find("alpine") != std::string_view::npos;
}

// Variables the container sets itself, which the webhook keeps instead of the
// Instrumentation's: what the service's telemetry then follows.
std::vector<std::string> own_settings_kept(const Json& app, const std::string& where) {
  std::vector<std::string> warnings;
  for (std::string_view name :
       {"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME", "OTEL_TRACES_EXPORTER",
        "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_PROPAGATORS"}) {
    if (find_named(member(app, "env"), name) == npos) continue;
    warnings.push_back(
        fmt::format("{}: sets {} itself; the Operator keeps the container's own value over the "
                    "Instrumentation's",
                    where, name));
  }
  return warnings;
}

}  // namespace

std::string default_operator_image(const PythonPackageSet& packages) {
  return fmt::format("{}:{}", kOperatorImageRepository, packages.contrib_version);
}

Json instrumentation_resource(const InstrumentationSpec& spec, std::string_view namespace_) {
  Json resource = {{"addK8sUIDAttributes", false}};
  if (!spec.environment.empty()) {
    resource["resourceAttributes"] = {{"deployment.environment", spec.environment}};
  }
  return {{"apiVersion", kInstrumentationApiVersion},
          {"kind", kInstrumentationKind},
          {"metadata",
           {{"name", kInstrumentationName},
            {"namespace", namespace_},
            {"labels", {{"app.kubernetes.io/managed-by", "cxtm-o11y"}}}}},
          {"spec",
           {{"exporter", {{"endpoint", spec.otlp_endpoint}}},
            {"propagators", Json::array({"tracecontext", "baggage"})},
            {"resource", resource},
            {"python",
             {{"image", spec.operator_image},
              // As the tool's own way: the agent has no logs pipeline, and Observability Cloud
              // takes no OTLP logs (the Operator's default is otlp).
              {"env", Json::array({{{"name", "OTEL_LOGS_EXPORTER"}, {"value", "none"}}})}}}}}};
}

bool asks_operator(const Json& deployment) {
  const Json& value = member(template_annotations(deployment), kAnnotationInjectPython);
  return value.is_string() && value.get<std::string>() != "false";
}

bool injected_by_operator(const Json& deployment) {
  return string_member(template_annotations(deployment), kAnnotationInjector) == kOperator;
}

Transformed ask_operator(Json deployment, const std::string& app_name,
                         const InstrumentationSpec& spec, const std::string& tool_version) {
  const std::string label = deployment_label(deployment);
  const std::string where = fmt::format("{}, container {}", label, app_name);
  if (asks_operator(deployment)) {
    throw Error(
        ExitCode::conflict,
        fmt::format("{}: its pod template asks the OpenTelemetry Operator to inject "
                    "Python already ({}: {}), not through cxtm-o11y",
                    label, kAnnotationInjectPython,
                    string_member(template_annotations(deployment), kAnnotationInjectPython)));
  }
  Json& template_ = deployment["spec"]["template"];
  const Json& app =
      template_["spec"]["containers"][find_named(template_["spec"]["containers"], app_name)];
  const Json& env = member(app, "env");
  if (const size_t path = find_named(env, kEnvPythonPath);
      path != npos && !member(env[path], "valueFrom").is_null()) {
    throw Error(ExitCode::usage,
                fmt::format("{}: PYTHONPATH comes from valueFrom, and the Operator skips such a "
                            "container without a word; set it as a plain value instead",
                            where));
  }
  Transformed out{.deployment = {}, .warnings = own_settings_kept(app, where), .notes = {}};
  const std::string image = string_member(app, "image");

  Json& pod_annotations = annotations_of(template_);
  pod_annotations[std::string(kAnnotationInjectPython)] = kInstrumentationName;
  pod_annotations[std::string(kAnnotationPythonContainers)] = app_name;
  if (musl_image(image)) {
    pod_annotations[std::string(kAnnotationPythonPlatform)] = "musl";
    out.notes.push_back(
        fmt::format("{}: image {} looks musl-based: asked for the Operator's musl "
                    "build of the packages",
                    where, image));
  }
  pod_annotations[std::string(kAnnotationResourceServiceName)] = spec.service_name;
  pod_annotations[std::string(kAnnotationInjector)] = kOperator;
  // The record names the app container; the tool sets no variables of its own here.
  const EnvRecord record{
      .container = app_name, .env = Json::array(), .set = Json::array(), .image = image};
  pod_annotations[std::string(kAnnotationOriginalEnv)] = env_record_text(record);

  Json& annotations = annotations_of(deployment);
  annotations[std::string(kAnnotationInstrumented)] = "true";
  annotations[std::string(kAnnotationVersion)] = tool_version;
  annotations[std::string(kAnnotationSpecHash)] = spec.hash();
  out.deployment = std::move(deployment);
  return out;
}

void remove_operator_request(Json& pod_template) {
  if (string_member(member(member(pod_template, "metadata"), "annotations"), kAnnotationInjector) !=
      kOperator) {
    return;
  }
  Json& metadata = pod_template["metadata"];
  for (std::string_view key : kRequestAnnotations) metadata["annotations"].erase(std::string(key));
  drop_if_empty(metadata, "annotations");
  drop_if_empty(pod_template, "metadata");
}

bool pod_injected_by_operator(const Json& pod, std::string_view app) {
  const Json& spec = member(pod, "spec");
  if (find_named(member(spec, "initContainers"), kOperatorInitContainer) == npos) return false;
  const size_t container = find_named(member(spec, "containers"), app);
  if (container == npos) return false;
  const Json& env = member(spec["containers"][container], "env");
  const size_t path = find_named(env, kEnvPythonPath);
  return path != npos &&
         string_member(env[path], "value").find(kOperatorMountPath) != std::string::npos;
}

}  // namespace cxtm::instrument
