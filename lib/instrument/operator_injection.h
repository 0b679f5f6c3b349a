#pragma once
// Injection by the OpenTelemetry Operator (`instrument --via operator`): the Instrumentation
// resource its webhook reads, and the pod template annotations that ask it to inject Python
// into the app container when a pod is created. Pure: JSON in, JSON out.
//
// The Operator's webhook (internal/instrumentation/python.go and sdk.go of
// open-telemetry/opentelemetry-operator) adds to each new pod an init container copying its
// prebuilt packages into an emptyDir, PYTHONPATH, the OTEL_* variables of the Instrumentation
// and a resource built from the pod; it keeps every variable the container sets itself.

#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "instrument/package_set.h"
#include "instrument/spec.h"
#include "instrument/transform.h"

namespace cxtm::instrument {

inline constexpr std::string_view kInstrumentationApiVersion = "opentelemetry.io/v1alpha1";
inline constexpr std::string_view kInstrumentationKind = "Instrumentation";
inline constexpr std::string_view kInstrumentationResource = "instrumentations.opentelemetry.io";
// The tool's Instrumentation, one per namespace.
inline constexpr std::string_view kInstrumentationName = "cxtm-o11y";
// The Operator's pod annotations.
inline constexpr std::string_view kAnnotationInjectPython =
    "instrumentation.opentelemetry.io/inject-python";
inline constexpr std::string_view kAnnotationPythonContainers =
    "instrumentation.opentelemetry.io/python-container-names";
inline constexpr std::string_view kAnnotationPythonPlatform =
    "instrumentation.opentelemetry.io/otel-python-platform";
// Its highest-precedence source of service.name (over labels and the workload's name).
inline constexpr std::string_view kAnnotationResourceServiceName =
    "resource.opentelemetry.io/service.name";
// What the webhook names what it injects.
inline constexpr std::string_view kOperatorInitContainer =
    "opentelemetry-auto-instrumentation-python";
inline constexpr std::string_view kOperatorMountPath = "/otel-auto-instrumentation-python";
// On the pod template: which injector the tool asked ("operator"); absent for its own.
inline constexpr std::string_view kAnnotationInjector = "cxtm-o11y.io/injector";

// The Operator's Python image built from the same OpenTelemetry release as the locked set:
// autoinstrumentation-python:<contrib version>.
std::string default_operator_image(const PythonPackageSet& packages);

// The Instrumentation for the services of namespace_ that spec describes: its exporter
// endpoint, propagators, deployment.environment, the pinned Python image and the variables the
// tool sets differently from the Operator's defaults (no OTLP logs).
Json instrumentation_resource(const InstrumentationSpec& spec, std::string_view namespace_);

// Whether the pod template asks the Operator to inject Python (its own annotation or the
// tool's).
bool asks_operator(const Json& deployment);

// Whether the tool asked the Operator (the pod template's injector annotation says so).
bool injected_by_operator(const Json& deployment);

// Asks the Operator to inject into container app_name of a Deployment that has none of the
// tool's parts: the annotations on the pod template, the tool's markers. Throws Error(conflict)
// when the pod template already asks the Operator itself, Error(usage) for a PYTHONPATH from
// valueFrom (the webhook would skip the container).
Transformed ask_operator(Json deployment, const std::string& app_name,
                         const InstrumentationSpec& spec, const std::string& tool_version);

// The pod template without the annotations ask_operator wrote (only when the tool wrote them).
void remove_operator_request(Json& pod_template);

// Whether a pod was injected by the Operator: its init container and PYTHONPATH entry in
// container app.
bool pod_injected_by_operator(const Json& pod, std::string_view app);

}  // namespace cxtm::instrument
