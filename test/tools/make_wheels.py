"""Writes minimal but valid wheels (pip installs them for real) for the installer's tests, one
per "name==version" argument, into the folder given first. Each holds one module, except:
- opentelemetry-instrumentation: a stand-in for the auto-instrumentation's initialize() that
  prints what the app's process looks like and sets up a meter provider, so a test can see
  that the sitecustomize ran it;
- opentelemetry-api and opentelemetry-sdk: stand-ins for the parts the sitecustomize touches
  after a fork, shaped as in 1.41 (metrics.get_meter_provider()._sdk_config, a dataclass whose
  resource is a Resource with merge());
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

INITIALIZE = '''import os, sys
def initialize():
    print("initialize pid=%d path=%s env=%s" % (
        os.getpid(), ":".join(p for p in sys.path if p), os.environ.get("PYTHONPATH", "")))
    from opentelemetry import metrics
    from opentelemetry.sdk.resources import Resource
    metrics._set_meter_provider(Resource({"service.name": "app"}))
'''

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
    if name == "opentelemetry-instrumentation":
        files["opentelemetry/instrumentation/auto_instrumentation/__init__.py"] = INITIALIZE
    elif name == "opentelemetry-api":
        files["opentelemetry/metrics/__init__.py"] = METRICS
    elif name == "opentelemetry-sdk":
        files["opentelemetry/sdk/resources/__init__.py"] = RESOURCES
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
