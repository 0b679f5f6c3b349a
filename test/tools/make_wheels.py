"""Writes minimal but valid wheels (pip installs them for real) for the installer's tests, one
per "name==version" argument, into the folder given first. Each holds one module, except the
OpenTelemetry ones, stand-ins shaped as 1.41/0.62b1 are where the tool's sitecustomize touches
them:
- opentelemetry-instrumentation: initialize() prints what the app's process looks like (stdout,
  for the tests), sets an SDK tracer and meter provider, then loads every
  `opentelemetry_instrumentor` entry point, logging and swallowing failures with OpenTelemetry's
  own messages ("Importing of %s failed, skipping it", "Instrumenting of %s failed", "Failed to
  auto initialize OpenTelemetry"); BaseInstrumentor, a singleton per class with
  _is_instrumented_by_opentelemetry;
- opentelemetry-instrumentation-X: an instrumentor registered under the entry point X (none for
  the wsgi, asgi and dbapi helpers, as upstream); it fails to instrument when X is named in
  $CXTM_TEST_BREAK_INSTRUMENTORS (comma-separated);
- opentelemetry-api and opentelemetry-sdk: trace.get/set_tracer_provider (a ProxyTracerProvider
  until set), sdk.trace.TracerProvider, metrics.get_meter_provider()._sdk_config (a dataclass
  whose resource is a Resource with merge());
- packaging: the real packaging library (Debian's python3-packaging), which the installer uses
  in an image without pip."""
import base64
import glob
import hashlib
import os
import re
import sys
import zipfile

# Where a real packaging library is: Debian's python3-packaging, for any interpreter.
PACKAGING_SOURCES = ["/usr/lib/python3/dist-packages/packaging"]

INITIALIZE = '''import logging, os, sys
from importlib import metadata
_logger = logging.getLogger(__name__)
def _load_instrumentors():
    found = metadata.entry_points()
    group = (found.select(group="opentelemetry_instrumentor") if hasattr(found, "select")
             else found.get("opentelemetry_instrumentor", []))
    for entry_point in group:
        try:
            entry_point.load()().instrument()
        except ImportError:
            _logger.exception("Importing of %s failed, skipping it", entry_point.name)
        except Exception:
            _logger.exception("Instrumenting of %s failed", entry_point.name)
            raise
def initialize():
    print("initialize pid=%d path=%s env=%s" % (
        os.getpid(), ":".join(p for p in sys.path if p), os.environ.get("PYTHONPATH", "")))
    try:
        from opentelemetry import metrics, trace
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        resource = Resource({"service.name": os.environ.get("OTEL_SERVICE_NAME", "app")})
        os.environ.setdefault("OTEL_TRACES_EXPORTER", "otlp")
        trace.set_tracer_provider(TracerProvider(resource))
        metrics._set_meter_provider(resource)
        _load_instrumentors()
    except Exception:
        _logger.exception("Failed to auto initialize OpenTelemetry")
'''

INSTRUMENTOR = '''class BaseInstrumentor:
    _instance = None
    _is_instrumented_by_opentelemetry = False
    def __new__(cls, *args, **kwargs):
        if cls._instance is None:
            cls._instance = object.__new__(cls)
        return cls._instance
    def instrument(self, **kwargs):
        if not self._is_instrumented_by_opentelemetry:
            self._instrument(**kwargs)
            self._is_instrumented_by_opentelemetry = True
    def _instrument(self, **kwargs):
        pass
'''

ONE_INSTRUMENTOR = '''import os
from opentelemetry.instrumentation.instrumentor import BaseInstrumentor
class Instrumentor(BaseInstrumentor):
    def _instrument(self, **kwargs):
        if %(name)r in os.environ.get("CXTM_TEST_BREAK_INSTRUMENTORS", "").split(","):
            raise RuntimeError("the %(name)s stand-in was told to fail")
'''

TRACE = '''class ProxyTracerProvider:
    pass
_provider = None
def set_tracer_provider(provider):
    global _provider
    _provider = provider
def get_tracer_provider():
    return _provider if _provider is not None else ProxyTracerProvider()
'''

SDK_TRACE = '''class TracerProvider:
    def __init__(self, resource=None):
        self.resource = resource
'''

# Upstream's helpers that register no instrumentor of their own.
HELPERS = {"wsgi", "asgi", "dbapi"}

METRICS = '''import dataclasses
@dataclasses.dataclass
class SdkConfiguration:
    resource: object
class MeterProvider:
    def __init__(self, resource):
        self._sdk_config = SdkConfiguration(resource)
_provider = None
def _set_meter_provider(resource):
    global _provider
    _provider = MeterProvider(resource)
def get_meter_provider():
    return _provider
'''

RESOURCES = '''class Resource:
    def __init__(self, attributes):
        self.attributes = dict(attributes)
    def merge(self, other):
        return Resource({**self.attributes, **other.attributes})
'''


def record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s,sha256=%s,%d\n" % (path, digest, len(data))


def make(folder, name, version):
    module = re.sub(r"[-.]+", "_", name).lower()
    files = {}
    entry_points = None
    if name == "opentelemetry-instrumentation":
        files["opentelemetry/instrumentation/auto_instrumentation/__init__.py"] = INITIALIZE
        files["opentelemetry/instrumentation/instrumentor.py"] = INSTRUMENTOR
    elif name.startswith("opentelemetry-instrumentation-"):
        entry = name[len("opentelemetry-instrumentation-"):].replace("-", "_")
        files["opentelemetry/instrumentation/%s/__init__.py" % entry] = (
            ONE_INSTRUMENTOR % {"name": entry})
        if entry not in HELPERS:
            entry_points = ("[opentelemetry_instrumentor]\n"
                            "%s = opentelemetry.instrumentation.%s:Instrumentor\n" % (entry, entry))
    elif name == "opentelemetry-api":
        files["opentelemetry/metrics/__init__.py"] = METRICS
        files["opentelemetry/trace/__init__.py"] = TRACE
    elif name == "opentelemetry-sdk":
        files["opentelemetry/sdk/resources/__init__.py"] = RESOURCES
        files["opentelemetry/sdk/trace/__init__.py"] = SDK_TRACE
    elif name == "packaging":
        source = next((d for d in PACKAGING_SOURCES
                       if os.path.isfile(os.path.join(d, "requirements.py"))), None)
        if source is None:
            sys.exit("make_wheels: no real packaging library (apt-get install python3-packaging)")
        for path in sorted(glob.glob(os.path.join(source, "*.py"))):
            with open(path, encoding="utf-8") as library_file:
                files["packaging/" + os.path.basename(path)] = library_file.read()
    else:
        files["%s_fixture/__init__.py" % module] = "VERSION = %r\n" % version
    info = "%s-%s.dist-info" % (module, version)
    files[info + "/METADATA"] = "Metadata-Version: 2.1\nName: %s\nVersion: %s\n" % (name, version)
    files[info + "/WHEEL"] = ("Wheel-Version: 1.0\nGenerator: cxtm-o11y-tests\n"
                              "Root-Is-Purelib: true\nTag: py3-none-any\n")
    if entry_points:
        files[info + "/entry_points.txt"] = entry_points
    record = ""
    path = "%s/%s-%s-py3-none-any.whl" % (folder, module, version)
    with zipfile.ZipFile(path, "w") as wheel:
        for member, text in files.items():
            data = text.encode()
            wheel.writestr(member, data)
            record += record_line(member, data)
        record += info + "/RECORD,,\n"
        wheel.writestr(info + "/RECORD", record)


if __name__ == "__main__":
    for requirement in sys.argv[2:]:
        name, version = requirement.split("==")
        make(sys.argv[1], name, version)
