# Written by cxtm-o11y's installer into the shared volume; first on the app's PYTHONPATH, so
# Python runs it at start-up, before the app's code. It starts OpenTelemetry's zero-code
# instrumentation the way OpenTelemetry's own sitecustomize does, and besides:
# - puts back the image's own PYTHONPATH (its ENV, which the pod's PYTHONPATH replaces), where
#   it would have been: before the volume's packages;
# - starts it again in the processes that serve requests for the one it started in: the server
#   child of Werkzeug's and Django's reloaders (WERKZEUG_RUN_MAIN, RUN_MAIN) and the workers
#   multiprocessing spawns (uvicorn --workers and --reload, hypercorn). Any other Python process
#   the app starts runs uninstrumented, as under OpenTelemetry's own start-up hook;
# - after a fork (gunicorn and uWSGI workers), gives the child's metrics its own process.pid,
#   so that workers of one pod do not write the same series;
# - says on stderr, in one line, whether tracing started in this process and how, for
#   `cxtm-o11y validate` to read from the pod's log (no exec rights needed):
#     cxtm-o11y: tracing started pid=1 python=3.12.3 sdk=1.41.1 exporter=otlp
#       protocol=http/protobuf endpoint=http://otel-collector...:4318 instrumented=flask,requests
#     cxtm-o11y: tracing not started pid=1 python=3.12.3 because: ModuleNotFoundError: ...
# No syntax newer than the oldest Python 3's: other Pythons the app starts read this file too.
import os
import sys

# Set for the processes this one starts: the pid tracing started in.
_STARTED_IN = "CXTM_O11Y_TRACING_PID"


def _cxtm_o11y_say(text):
    try:
        sys.stderr.write("cxtm-o11y: " + " ".join(text.split()) + "\n")
        sys.stderr.flush()
    except Exception:  # no stderr: nothing to say it on
        pass


def _cxtm_o11y_role():
    """"" for the app's own process, the kind of serving child, or None for another child."""
    parent = os.environ.get(_STARTED_IN)
    if parent is None or parent == str(os.getpid()):  # not a child, or a child exec'd in place
        return ""
    if os.environ.get("WERKZEUG_RUN_MAIN") == "true" or os.environ.get("RUN_MAIN") == "true":
        return "reloader-child"
    if "--multiprocessing-fork" in sys.argv:
        return "spawned-worker"
    return None


def _cxtm_o11y_restore_image_path(here):
    volume = os.path.dirname(here)
    same = lambda a, b: os.path.realpath(a) == os.path.realpath(b)
    try:
        with open(os.path.join(here, "image-pythonpath")) as image_file:
            image_path = [e for e in image_file.read().strip().split(os.pathsep) if e]
    except (IOError, OSError):
        image_path = []
    missing = [e for e in image_path if not any(same(e, p) for p in sys.path if p)]
    at = next((i for i, p in enumerate(sys.path) if p and same(p, volume)), len(sys.path))
    sys.path[at:at] = missing

    inherited = [e for e in os.environ.get("PYTHONPATH", "").split(os.pathsep) if e]
    at = next((i for i, e in enumerate(inherited) if same(e, volume)), len(inherited))
    inherited[at:at] = [e for e in image_path if e not in inherited]
    os.environ["PYTHONPATH"] = os.pathsep.join(inherited)


def _cxtm_o11y_instrumented():
    """The instrumentors OpenTelemetry loaded, by entry point name."""
    from importlib import metadata

    found = metadata.entry_points()
    group = (found.select(group="opentelemetry_instrumentor") if hasattr(found, "select")
             else found.get("opentelemetry_instrumentor", []))
    names = set()
    for entry_point in group:
        module_name, _, attribute = entry_point.value.partition(":")
        module = sys.modules.get(module_name.strip())  # one never imported did not load
        instrumentor = getattr(module, attribute.strip(), None) if module else None
        instance = getattr(instrumentor, "_instance", None)
        if instance is not None and getattr(instance, "_is_instrumented_by_opentelemetry", False):
            names.add(entry_point.name)
    return ",".join(sorted(names)) or "none"


def _cxtm_o11y_version(distribution):
    try:
        from importlib import metadata

        return metadata.version(distribution)
    except Exception:
        return "unknown"


def _cxtm_o11y_start():
    here = os.path.dirname(os.path.abspath(__file__))
    _cxtm_o11y_restore_image_path(here)
    role = _cxtm_o11y_role()
    if role is None:
        return
    os.environ[_STARTED_IN] = str(os.getpid())
    who = "pid=%d%s python=%d.%d.%d" % ((os.getpid(), " role=" + role if role else "") +
                                       tuple(sys.version_info[:3]))
    try:
        from opentelemetry.instrumentation.auto_instrumentation import initialize

        initialize()  # logs and swallows its own failures: the provider tells
        from opentelemetry import trace

        provider = trace.get_tracer_provider()
        instrumented = _cxtm_o11y_instrumented()
    except Exception as error:
        _cxtm_o11y_say("tracing not started %s because: %s: %s" %
                       (who, type(error).__name__, str(error)[:300]))
        return
    if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        _cxtm_o11y_say("tracing not started %s because: OTEL_SDK_DISABLED=true" % who)
        return
    if not type(provider).__module__.startswith("opentelemetry.sdk"):
        _cxtm_o11y_say("tracing not started %s because: OpenTelemetry set no SDK tracer provider "
                       "(its own error is above)" % who)
        return
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_cxtm_o11y_per_process)
    env = lambda *names: next((os.environ[n] for n in names if os.environ.get(n)), "default")
    _cxtm_o11y_say("tracing started %s sdk=%s exporter=%s protocol=%s endpoint=%s instrumented=%s" %
                   (who, _cxtm_o11y_version("opentelemetry-sdk"),
                    env("OTEL_TRACES_EXPORTER").replace(" ", ""),
                    env("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"),
                    env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"),
                    instrumented))


def _cxtm_o11y_per_process():
    try:
        from opentelemetry import metrics
        from opentelemetry.sdk.resources import Resource

        config = getattr(metrics.get_meter_provider(), "_sdk_config", None)
        if config is not None and getattr(config, "resource", None) is not None:
            config.resource = config.resource.merge(Resource({"process.pid": os.getpid()}))
    except Exception:  # never break the app's worker over a metrics attribute
        pass


_cxtm_o11y_start()
