#pragma once
// The shipped OpenTelemetry Python package set (templates/instrumentation/python-packages.yaml).

#include "instrument/package_set.h"

namespace cxtm::config {

// The shipped set, parsed once. Throws Error(usage) when the build lacks the file.
const instrument::PythonPackageSet& python_packages();

}  // namespace cxtm::config
