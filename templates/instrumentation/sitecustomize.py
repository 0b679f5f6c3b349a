# Written by cxtm-o11y's installer into the shared volume; first on the app's PYTHONPATH, so
# Python runs it at start-up, before the app's code. It starts OpenTelemetry's zero-code
# instrumentation the way OpenTelemetry's own sitecustomize does, and before that:
# - puts back the image's own PYTHONPATH (its ENV, which the pod's PYTHONPATH replaces), where
#   it would have been: before the volume's packages;
# - leaves this folder out of PYTHONPATH for processes the app starts, as OpenTelemetry does;
# - after a fork (gunicorn and uWSGI workers), gives the child's metrics its own process.pid,
#   so that workers of one pod do not write the same series.
import os
import sys


def _cxtm_o11y_start():
    here = os.path.dirname(os.path.abspath(__file__))
    volume = os.path.dirname(here)
    same = lambda a, b: os.path.realpath(a) == os.path.realpath(b)
    try:
        with open(os.path.join(here, "image-pythonpath"), encoding="utf-8") as image_file:
            image_path = [e for e in image_file.read().strip().split(os.pathsep) if e]
    except OSError:
        image_path = []
    missing = [e for e in image_path if not any(same(e, p) for p in sys.path if p)]
    at = next((i for i, p in enumerate(sys.path) if p and same(p, volume)), len(sys.path))
    sys.path[at:at] = missing

    inherited = [e for e in os.environ.get("PYTHONPATH", "").split(os.pathsep)
                 if e and not same(e, here)]
    at = next((i for i, e in enumerate(inherited) if same(e, volume)), len(inherited))
    inherited[at:at] = [e for e in image_path if e not in inherited]
    os.environ["PYTHONPATH"] = os.pathsep.join(inherited)

    from opentelemetry.instrumentation.auto_instrumentation import initialize

    initialize()
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_cxtm_o11y_per_process)


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
