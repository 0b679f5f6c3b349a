#pragma once
// The known traps of zero-code Python instrumentation, read from the pod spec: how the app is
// started (its command and args, shell -c lines included), its environment and probes. Each
// trap is either handled (a variable the instrumentation needs, a note of what the tool's
// sitecustomize does) or a warning with the remedy. Pure. What the pod spec cannot show (a
// command in the image, a gunicorn.conf.py) is not seen; docs/python-services.md says so.

#include <string>
#include <vector>

#include "core/json.h"

namespace cxtm::instrument {

inline constexpr std::string_view kEnvGeventPatch =
    "OTEL_PYTHON_AUTO_INSTRUMENTATION_EXPERIMENTAL_GEVENT_PATCH";
inline constexpr std::string_view kEnvExcludedUrls = "OTEL_PYTHON_EXCLUDED_URLS";

struct PythonRuntime {
  // Variables the app container needs (kEnvGeventPatch, kEnvExcludedUrls), as name/value
  // pairs; left out when the app sets the variable itself.
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<std::string> handled;   // what the tool does about a trap it found
  std::vector<std::string> warnings;  // a trap it cannot handle, with the remedy
  // A trap it cannot handle that leaves the app sending no span at all (python -I, uWSGI with
  // threads off), with the remedy: validate fails the service on these.
  std::vector<std::string> untraced;
};

// `where` names the Deployment and container in every line.
PythonRuntime python_runtime(const Json& app_container, std::string_view where);

// The Python the app runs, for the installer to run too (the distributions it sees are the
// app's only through the same interpreter): the command's program when it is an absolute
// python ("/app/.venv/bin/python"), the python3 beside it when it is an absolute path to a
// Python program in a bin folder ("/app/.venv/bin/gunicorn" → "/app/.venv/bin/python3"), else
// "python3" from the PATH (the image's ENV PATH, which a venv-based image sets).
std::string app_interpreter(const Json& app_container);

// The OTEL_PYTHON_EXCLUDED_URLS value that keeps the probes' requests out of traces: one
// regular expression per httpGet path, anchored at the path's end. Empty without such probes.
std::string probe_exclusions(const Json& app_container);

}  // namespace cxtm::instrument
