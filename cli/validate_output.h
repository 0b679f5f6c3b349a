#pragma once
// What `validate` (and `instrument`, for its checks 4 and 5) need around the action: the HTTP
// client and the kubectl proxy behind ValidateEdges, and the report's printing.

#include <memory>
#include <string>

#include "actions/validate.h"
#include "kube/kubectl_client.h"
#include "kube/kubectl_proxy.h"
#include "print/format.h"
#include "net/http_client.h"
#include "validate/report.h"

namespace cxtm::cli {

// Owns the libcurl client and the kubectl proxy (started on first use, stopped with this); the
// client reaches the proxy through its Unix socket.
class ValidateRuntime {
 public:
  // ca_bundle: for HTTPS to Splunk (empty: libcurl's default).
  explicit ValidateRuntime(kube::KubectlOptions options, std::string ca_bundle = "")
      : options_(std::move(options)), http_(std::move(ca_bundle)) {}
  actions::ValidateEdges edges();

 private:
  kube::KubectlOptions options_;
  net::CurlHttpClient http_;
  std::unique_ptr<kube::KubectlProxy> proxy_;
};

// Text: a table of the checks (details and remedy under each that did not pass) and a verdict
// line. json/yaml: Report::to_json().
void print_validate_report(const validate::Report& report, print::Printing printing);

// The table and verdict line alone; each status and the verdict coloured when colour is on.
std::string validate_report_text(const validate::Report& report,
                                 print::Colour colour = print::Colour::off);

}  // namespace cxtm::cli
