// Any bytes as what the collector answers validate: an OTLP/HTTP export response or Status body,
// its Prometheus metrics, its log, a Retry-After header, an installer's log, an app's log.
#include <chrono>
#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "instrument/installer_report.h"
#include "net/retry.h"
#include "validate/app_log_scan.h"
#include "validate/log_scan.h"
#include "validate/otlp_payload.h"
#include "validate/prometheus_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    (void)cxtm::validate::parse_export_answer(text);
    (void)cxtm::validate::status_message(text);
    (void)cxtm::validate::parse_prometheus_text(text);
    (void)cxtm::validate::scan_collector_log(text);
    (void)cxtm::instrument::read_installer_log(text);
    (void)cxtm::validate::scan_app_log(text);
    (void)cxtm::net::parse_retry_after(text, std::chrono::system_clock::now());
  } catch (const cxtm::Error&) {
  }
  return 0;
}
