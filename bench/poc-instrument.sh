#!/bin/sh
# The proof of concept's way, one service after another, as its shell scripts did it: back up
# the Deployment with `get -o yaml`, patch in the env vars, the installer init container and
# the shared volume, then `rollout status`. bench_fleet times it against `instrument --all`.
# Usage: poc-instrument.sh KUBECTL BACKUP_DIR DEPLOYMENT...
set -eu
kubectl=$1
backups=$2
shift 2
for deployment in "$@"; do
  "$kubectl" get deployment "$deployment" -o yaml >"$backups/$deployment.yaml"
  "$kubectl" patch deployment "$deployment" --type=strategic -p '{"spec":{"template":{"spec":{
    "initContainers":[{"name":"otel-install","image":"python:3.12-slim",
      "command":["pip","install","--target","/otel-auto-instrumentation","opentelemetry-distro"],
      "volumeMounts":[{"name":"otel-auto-instrumentation","mountPath":"/otel-auto-instrumentation"}]}],
    "volumes":[{"name":"otel-auto-instrumentation","emptyDir":{}}],
    "containers":[{"name":"app",
      "env":[{"name":"OTEL_SERVICE_NAME","value":"'"$deployment"'"},
             {"name":"OTEL_EXPORTER_OTLP_ENDPOINT","value":"http://otel-collector:4318"},
             {"name":"OTEL_TRACES_EXPORTER","value":"otlp"},
             {"name":"PYTHONPATH","value":"/otel-auto-instrumentation"}],
      "volumeMounts":[{"name":"otel-auto-instrumentation","mountPath":"/otel-auto-instrumentation"}]}]}}}}' >/dev/null
  "$kubectl" rollout status deployment "$deployment" --timeout=300s >/dev/null
done
