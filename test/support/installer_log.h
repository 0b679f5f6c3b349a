#pragma once
// What the installer init container prints for a Flask app that has its own packaging and
// typing-extensions (templates/instrumentation/installer.py, with pip's own lines), for the
// API server double's pod logs.

#include <string_view>

namespace cxtm::testing {

inline constexpr std::string_view kInstallerLog =
    "cxtm-o11y installer: Python 3.12.4; instrumentations: flask (Flask 3.0.3), logging "
    "(always)\n"
    "cxtm-o11y installer: the app's own, kept: packaging 24.1, typing-extensions 4.12.2\n"
    "cxtm-o11y installer: running pip install --no-deps of 22 pinned distributions\n"
    "Collecting certifi==2025.6.15\n"
    "  Downloading certifi-2025.6.15-py3-none-any.whl (157 kB)\n"
    "Installing collected packages: zipp, wrapt, urllib3, requests, protobuf, idna, ...\n"
    "Successfully installed certifi-2025.6.15 charset-normalizer-3.4.2 "
    "googleapis-common-protos-1.70.0 idna-3.10 importlib-metadata-8.7.0 opentelemetry-api-1.41.1 "
    "opentelemetry-distro-0.62b1 opentelemetry-exporter-otlp-proto-common-1.41.1 "
    "opentelemetry-exporter-otlp-proto-http-1.41.1 opentelemetry-instrumentation-0.62b1 "
    "opentelemetry-instrumentation-flask-0.62b1 opentelemetry-instrumentation-logging-0.62b1 "
    "opentelemetry-instrumentation-wsgi-0.62b1 opentelemetry-proto-1.41.1 "
    "opentelemetry-sdk-1.41.1 opentelemetry-semantic-conventions-0.62b1 "
    "opentelemetry-util-http-0.62b1 protobuf-6.31.1 requests-2.32.4 urllib3-2.5.0 "
    "wrapt-1.17.2 zipp-3.23.0\n"
    "cxtm-o11y installer: added 22: certifi==2025.6.15 charset-normalizer==3.4.2 "
    "googleapis-common-protos==1.70.0 idna==3.10 importlib-metadata==8.7.0 "
    "opentelemetry-api==1.41.1 opentelemetry-distro==0.62b1 "
    "opentelemetry-exporter-otlp-proto-common==1.41.1 "
    "opentelemetry-exporter-otlp-proto-http==1.41.1 opentelemetry-instrumentation==0.62b1 "
    "opentelemetry-instrumentation-flask==0.62b1 opentelemetry-instrumentation-logging==0.62b1 "
    "opentelemetry-instrumentation-wsgi==0.62b1 opentelemetry-proto==1.41.1 "
    "opentelemetry-sdk==1.41.1 opentelemetry-semantic-conventions==0.62b1 "
    "opentelemetry-util-http==0.62b1 protobuf==6.31.1 requests==2.32.4 urllib3==2.5.0 "
    "wrapt==1.17.2 zipp==3.23.0; overrides of the app's distributions: 0\n";

}  // namespace cxtm::testing
